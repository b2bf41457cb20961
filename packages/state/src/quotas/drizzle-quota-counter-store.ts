import { utcDay, type QuotaCounterStore, type QuotaReservation } from '@memgate/security';
import { sql } from 'drizzle-orm';
import type { StateDrizzle } from '../connection/state-database.js';

/** Options of {@link DrizzleQuotaCounterStore}. */
export interface DrizzleQuotaCounterStoreOptions {
  /** Days before yesterday are deleted at most this often (ms). Default one hour. */
  readonly pruneEveryMs?: number;
  /** Clock of the pruning, epoch ms. Default `Date.now`. */
  readonly now?: () => number;
  /** Told of pruning errors. Default `console.warn`. */
  readonly onError?: (error: unknown) => void;
}

/**
 * The daily write counts of API keys (`memgate.key_quota_counters`), shared by every replica. A
 * reservation is one statement: the upsert locks the key's row for the day and adds only while the
 * sum stays within the limit, so concurrent reservations from any replica never pass it; a refused
 * one changes nothing. Days before yesterday are pruned now and then.
 */
export class DrizzleQuotaCounterStore implements QuotaCounterStore {
  private lastPruneAt = 0;
  private readonly pruneEveryMs: number;
  private readonly now: () => number;
  private readonly onError: (error: unknown) => void;

  constructor(
    private readonly db: StateDrizzle,
    { pruneEveryMs = 3_600_000, now = Date.now, onError = (error) => console.warn('key quota counters', error) }: DrizzleQuotaCounterStoreOptions = {},
  ) {
    this.pruneEveryMs = pruneEveryMs;
    this.now = now;
    this.onError = onError;
  }

  async reserve(keyId: string, day: string, amount: number, limit: number): Promise<QuotaReservation> {
    if (amount > limit) return { allowed: false, count: await this.count(keyId, day) };
    this.pruneNowAndThen();
    const taken = (await this.db.execute(sql`insert into memgate.key_quota_counters as c (key_id, day, memories_written)
      values (${keyId}, ${day}::date, ${amount}::integer)
      on conflict (day, key_id) do update set memories_written = c.memories_written + ${amount}::integer
      where c.memories_written + ${amount}::integer <= ${limit}::integer
      returning memories_written`)) as unknown as { rows: { memories_written: number }[] };
    const row = taken.rows[0];
    if (row) return { allowed: true, count: Number(row.memories_written) };
    return { allowed: false, count: await this.count(keyId, day) };
  }

  async release(keyId: string, day: string, amount: number): Promise<void> {
    await this.db.execute(sql`update memgate.key_quota_counters set memories_written = greatest(0, memories_written - ${amount}::integer)
      where day = ${day}::date and key_id = ${keyId}`);
  }

  private async count(keyId: string, day: string): Promise<number> {
    const current = (await this.db.execute(sql`select memories_written from memgate.key_quota_counters where day = ${day}::date and key_id = ${keyId}`)) as unknown as {
      rows: { memories_written: number }[];
    };
    return Number(current.rows[0]?.memories_written ?? 0);
  }

  private pruneNowAndThen(): void {
    const now = this.now();
    if (now - this.lastPruneAt < this.pruneEveryMs) return;
    this.lastPruneAt = now;
    // Yesterday stays: another replica's clock may still be on it.
    const yesterday = utcDay(now - 86_400_000);
    this.db.execute(sql`delete from memgate.key_quota_counters where day < ${yesterday}::date`).catch(this.onError);
  }
}
