/**
 * Remembers which mem0 id holds each canonical id, so lookups by canonical id skip the metadata search.
 * Bounded: past `capacity` entries the oldest is forgotten (it can be found again through mem0).
 */
export class CanonicalIdCache {
  private readonly entries = new Map<string, string>();

  /** @param capacity most entries kept (default 10 000) */
  constructor(private readonly capacity = 10_000) {}

  get(canonicalId: string): string | undefined {
    return this.entries.get(canonicalId);
  }

  set(canonicalId: string, mem0Id: string): void {
    this.entries.delete(canonicalId);
    this.entries.set(canonicalId, mem0Id);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  delete(canonicalId: string): void {
    this.entries.delete(canonicalId);
  }
}
