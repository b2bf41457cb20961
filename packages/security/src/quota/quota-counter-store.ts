/** The outcome of {@link QuotaCounterStore.reserve}. */
export interface QuotaReservation {
  /** Whether the amount was added (the count stayed within the limit). */
  readonly allowed: boolean;
  /** The key's count for the day after the reservation; when refused, the count as it stands. */
  readonly count: number;
}

/**
 * Counters of what each key wrote per UTC day, for the `memoriesPerDay` quota. The state store's
 * (`StateStore.quotaCounters`) is shared by every replica; {@link createInMemoryQuotaCounterStore}
 * is one process's.
 */
export interface QuotaCounterStore {
  /**
   * Adds `amount` to the key's count for `day` if the result is at most `limit`, in one atomic step
   * (concurrent reservations never together pass the limit). A refused reservation changes nothing.
   * @param day the UTC day, `YYYY-MM-DD` (see `utcDay`)
   */
  reserve(keyId: string, day: string, amount: number, limit: number): Promise<QuotaReservation>;
  /** Takes `amount` back from the key's count for `day`, never below 0: a reserved write that did not happen. */
  release(keyId: string, day: string, amount: number): Promise<void>;
}

/** The UTC day of an instant (epoch ms), `YYYY-MM-DD`. */
export function utcDay(now: number): string {
  return new Date(now).toISOString().slice(0, 10);
}

/** Milliseconds from `now` (epoch ms) to the next UTC midnight, when a daily count starts again. */
export function msUntilNextUtcDay(now: number): number {
  return 86_400_000 - (now % 86_400_000);
}

/** A {@link QuotaCounterStore} in process memory: one replica's counts only. Days before yesterday are dropped. */
export function createInMemoryQuotaCounterStore(): QuotaCounterStore {
  const counts = new Map<string, { readonly day: string; count: number }>();
  const slot = (keyId: string, day: string) => `${day} ${keyId}`;
  let newestDay = '';
  const dropOldDays = (day: string): void => {
    if (day <= newestDay) return;
    newestDay = day;
    const yesterday = utcDay(Date.parse(`${day}T00:00:00Z`) - 86_400_000);
    for (const [name, entry] of counts) if (entry.day < yesterday) counts.delete(name);
  };
  return {
    async reserve(keyId, day, amount, limit) {
      dropOldDays(day);
      const entry = counts.get(slot(keyId, day));
      const current = entry?.count ?? 0;
      if (current + amount > limit) return { allowed: false, count: current };
      if (entry) entry.count = current + amount;
      else counts.set(slot(keyId, day), { day, count: amount });
      return { allowed: true, count: current + amount };
    },
    async release(keyId, day, amount) {
      const entry = counts.get(slot(keyId, day));
      if (entry) entry.count = Math.max(0, entry.count - amount);
    },
  };
}
