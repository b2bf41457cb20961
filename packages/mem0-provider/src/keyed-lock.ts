/**
 * Serialises work per key within this process: the second caller for a key waits for the first.
 * Used so that parallel re-adds of one canonical id store it once (mem0 has no unique constraint
 * on metadata, so two processes can still race; see the README).
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs `work` once every earlier holder of `key` has finished. */
  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const tail = new Promise<void>((resolve) => (release = resolve));
    const chained = previous.then(() => tail);
    this.tails.set(key, chained);
    try {
      await previous;
      return await work();
    } finally {
      release();
      if (this.tails.get(key) === chained) this.tails.delete(key);
    }
  }

  /**
   * Runs `work` holding every key of `keys` (taken in sorted order, so two callers with overlapping
   * keys cannot deadlock), released only when `work` has settled.
   */
  async runAll<T>(keys: readonly string[], work: () => Promise<T>): Promise<T> {
    const sorted = [...new Set(keys)].sort();
    const hold = (index: number): Promise<T> => (index === sorted.length ? work() : this.run(sorted[index]!, () => hold(index + 1)));
    return hold(0);
  }
}
