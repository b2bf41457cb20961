import type { DDSketch } from '@datadog/sketches-js';
import { createLatencySketch, mergedQuantiles, type LatencyQuantiles } from './latency-quantiles.js';

/** One observation as a window counts it. */
export interface WindowSample {
  /** When it happened (epoch milliseconds). */
  readonly at: number;
  /** `true` for a success, `false` for a failure that counts against the provider. */
  readonly ok: boolean;
  /** Latency in milliseconds; recorded in the sketch for successes only, so timeouts do not pose as latency. */
  readonly latencyMs?: number;
  /** Whether the call was slower than the provider's latency objective (a "bad event" for the latency SLO). */
  readonly slow: boolean;
}

/** Counts over a window. */
export interface WindowCounts {
  /** Calls that counted: successes plus failures (caller errors, aborts and rate limits excluded). */
  readonly volume: number;
  readonly successes: number;
  readonly failures: number;
  /** Calls slower than the latency objective. */
  readonly slow: number;
}

interface Bucket {
  start: number;
  successes: number;
  failures: number;
  slow: number;
  sketch: DDSketch | undefined;
}

/**
 * A sliding window split into `bucketCount` buckets (a ring). The window reported at time t covers the
 * buckets that started after `t - windowMs`, so it spans between `windowMs - bucketMs` and `windowMs` of
 * history: precise enough for routing, and O(bucketCount) memory however heavy the traffic.
 */
export class RollingWindow {
  private readonly buckets: Bucket[];
  private readonly bucketMs: number;

  /**
   * @param windowMs the window's length in milliseconds
   * @param bucketCount how many buckets it is split into
   */
  constructor(
    readonly windowMs: number,
    bucketCount: number,
  ) {
    this.bucketMs = windowMs / bucketCount;
    this.buckets = Array.from({ length: bucketCount }, () => ({ start: Number.NEGATIVE_INFINITY, successes: 0, failures: 0, slow: 0, sketch: undefined }));
  }

  /** Adds one sample. */
  record(sample: WindowSample): void {
    const bucket = this.bucketAt(sample.at);
    // A late sample whose bucket was already recycled for newer time is dropped rather than corrupting it.
    if (bucket === undefined) return;
    if (sample.ok) bucket.successes += 1;
    else bucket.failures += 1;
    if (sample.slow) bucket.slow += 1;
    if (sample.ok && sample.latencyMs !== undefined) (bucket.sketch ??= createLatencySketch()).accept(Math.max(sample.latencyMs, 0.001));
  }

  /** Counts of the window ending at `now`. */
  counts(now: number): WindowCounts {
    let successes = 0;
    let failures = 0;
    let slow = 0;
    for (const bucket of this.live(now)) {
      successes += bucket.successes;
      failures += bucket.failures;
      slow += bucket.slow;
    }
    return { volume: successes + failures, successes, failures, slow };
  }

  /** Latency quantiles of the successes in the window ending at `now`, or `null` without any. */
  latency(now: number): LatencyQuantiles | null {
    return mergedQuantiles(this.live(now).flatMap((bucket) => (bucket.sketch ? [bucket.sketch] : [])));
  }

  private live(now: number): Bucket[] {
    const oldest = now - this.windowMs;
    return this.buckets.filter((bucket) => bucket.start > oldest && bucket.start <= now);
  }

  private bucketAt(at: number): Bucket | undefined {
    const slot = Math.floor(at / this.bucketMs);
    const bucket = this.buckets[((slot % this.buckets.length) + this.buckets.length) % this.buckets.length]!;
    const start = slot * this.bucketMs;
    if (bucket.start > start) return undefined;
    if (bucket.start !== start) {
      bucket.start = start;
      bucket.successes = 0;
      bucket.failures = 0;
      bucket.slow = 0;
      bucket.sketch = undefined;
    }
    return bucket;
  }
}
