/** One undelivered entry as a tracker keeps it. */
export interface PendingEntry {
  readonly memoryId: string;
  readonly bytes: number;
}

/**
 * One member's undelivered entries known to this process, indexed by memory and with running totals,
 * so the per-request checks (does it miss a write of these memories? which memories?) cost the size of
 * the question, not of the backlog.
 */
export class PendingEntries {
  private readonly byId = new Map<number, PendingEntry>();
  private readonly perMemory = new Map<string, number>();
  private totalBytes = 0;

  get size(): number {
    return this.byId.size;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  has(entryId: number): boolean {
    return this.byId.has(entryId);
  }

  set(entryId: number, entry: PendingEntry): void {
    this.delete(entryId);
    this.byId.set(entryId, entry);
    this.perMemory.set(entry.memoryId, (this.perMemory.get(entry.memoryId) ?? 0) + 1);
    this.totalBytes += entry.bytes;
  }

  /** Removes an entry; resolves to its bytes (0 when it was not there). */
  delete(entryId: number): number {
    const entry = this.byId.get(entryId);
    if (!entry) return 0;
    this.byId.delete(entryId);
    const left = (this.perMemory.get(entry.memoryId) ?? 1) - 1;
    if (left > 0) this.perMemory.set(entry.memoryId, left);
    else this.perMemory.delete(entry.memoryId);
    this.totalBytes -= entry.bytes;
    return entry.bytes;
  }

  entries(): IterableIterator<[number, PendingEntry]> {
    return this.byId.entries();
  }

  /** Whether an entry of one of these memories is pending (other than `exceptEntryIds`). */
  missesAny(memoryIds: readonly string[], exceptEntryIds?: ReadonlySet<number>): boolean {
    if (!memoryIds.some((memoryId) => this.perMemory.has(memoryId))) return false;
    if (!exceptEntryIds || exceptEntryIds.size === 0) return true;
    const wanted = new Set(memoryIds);
    for (const [id, entry] of this.byId) if (wanted.has(entry.memoryId) && !exceptEntryIds.has(id)) return true;
    return false;
  }

  memoryIds(): string[] {
    return [...this.perMemory.keys()];
  }
}
