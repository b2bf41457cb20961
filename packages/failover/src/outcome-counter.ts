interface Bucket {
  start: number;
  successes: number;
  failures: number;
}

/** Successes and failures over a sliding window of `bucketCount` buckets: O(1) per record, no allocation. */
export class OutcomeCounter {
  private readonly buckets: Bucket[];
  private readonly bucketMs: number;

  constructor(
    private readonly windowMs: number,
    bucketCount: number,
  ) {
    this.bucketMs = windowMs / bucketCount;
    this.buckets = Array.from({ length: bucketCount }, () => ({ start: Number.NEGATIVE_INFINITY, successes: 0, failures: 0 }));
  }

  record(at: number, ok: boolean): void {
    const slot = Math.floor(at / this.bucketMs);
    const bucket = this.buckets[((slot % this.buckets.length) + this.buckets.length) % this.buckets.length]!;
    const start = slot * this.bucketMs;
    if (bucket.start > start) return;
    if (bucket.start !== start) Object.assign(bucket, { start, successes: 0, failures: 0 });
    if (ok) bucket.successes += 1;
    else bucket.failures += 1;
  }

  counts(now: number): { total: number; failures: number } {
    let total = 0;
    let failures = 0;
    for (const bucket of this.buckets) {
      if (bucket.start <= now - this.windowMs || bucket.start > now) continue;
      total += bucket.successes + bucket.failures;
      failures += bucket.failures;
    }
    return { total, failures };
  }

  clear(): void {
    for (const bucket of this.buckets) Object.assign(bucket, { start: Number.NEGATIVE_INFINITY, successes: 0, failures: 0 });
  }
}
