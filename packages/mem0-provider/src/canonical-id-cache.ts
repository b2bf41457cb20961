/**
 * Remembers which mem0 id holds each canonical id, so lookups by canonical id skip the metadata search.
 * Bounded: past `capacity` entries the oldest is forgotten (it can be found again through mem0).
 */
export class CanonicalIdCache {
  private readonly entries = new Map<string, string>();

  /** @param capacity most entries kept (default 10 000) */
  constructor(private readonly capacity = 10_000) {}

  /** The mem0 id last seen for a canonical id, if still remembered. */
  get(canonicalId: string): string | undefined {
    return this.entries.get(canonicalId);
  }

  /** Remembers (or refreshes) a mapping; evicts the oldest past capacity. */
  set(canonicalId: string, mem0Id: string): void {
    this.entries.delete(canonicalId);
    this.entries.set(canonicalId, mem0Id);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  /** Forgets a mapping. */
  delete(canonicalId: string): void {
    this.entries.delete(canonicalId);
  }
}
