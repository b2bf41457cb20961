import { randomUUID } from 'node:crypto';
import { utcDay } from '@memgate/security';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import type { StateStore } from '../create-state-store.js';
import { DrizzleQuotaCounterStore } from '../quotas/drizzle-quota-counter-store.js';

/**
 * The QuotaCounterStore of a state store: the same checks on every driver. `second` is another
 * store on the same database (another replica) where the driver has one; else the same store.
 */
export function quotaCounterStoreTests(first: () => StateStore, second: () => StateStore = first): void {
  it('quota counters: reserve within the limit, refuse past it changing nothing, across replicas', async () => {
    const keyId = randomUUID();
    const day = '2026-12-05';
    expect(await first().quotaCounters.reserve(keyId, day, 2, 3)).toEqual({ allowed: true, count: 2 });
    expect(await second().quotaCounters.reserve(keyId, day, 2, 3)).toEqual({ allowed: false, count: 2 });
    expect(await second().quotaCounters.reserve(keyId, day, 1, 3)).toEqual({ allowed: true, count: 3 });
    expect(await first().quotaCounters.reserve(keyId, day, 1, 3)).toEqual({ allowed: false, count: 3 });
    // More than the limit at once is refused before any row is written.
    expect(await first().quotaCounters.reserve(randomUUID(), day, 4, 3)).toEqual({ allowed: false, count: 0 });
    // Each day and each key has its own count.
    expect(await first().quotaCounters.reserve(keyId, '2026-12-06', 3, 3)).toEqual({ allowed: true, count: 3 });
    expect(await first().quotaCounters.reserve(randomUUID(), day, 3, 3)).toEqual({ allowed: true, count: 3 });
  });

  it('quota counters: a release gives room back, never below zero', async () => {
    const keyId = randomUUID();
    const day = '2026-12-05';
    await first().quotaCounters.reserve(keyId, day, 3, 3);
    await second().quotaCounters.release(keyId, day, 2);
    expect(await first().quotaCounters.reserve(keyId, day, 2, 3)).toEqual({ allowed: true, count: 3 });
    await first().quotaCounters.release(keyId, day, 10);
    expect(await first().quotaCounters.reserve(keyId, day, 1, 3)).toEqual({ allowed: true, count: 1 });
    // Releasing what was never reserved changes nothing.
    await first().quotaCounters.release(randomUUID(), day, 1);
  });

  it('quota counters: 40 parallel reservations from two replicas on a limit of 7 admit exactly 7', async () => {
    const keyId = randomUUID();
    const results = await Promise.all(Array.from({ length: 40 }, (_, index) => (index % 2 === 0 ? first() : second()).quotaCounters.reserve(keyId, '2026-12-05', 1, 7)));
    expect(results.filter((result) => result.allowed)).toHaveLength(7);
    expect(Math.max(...results.map((result) => result.count))).toBe(7);
  });

  it('quota counters: pruning deletes days before yesterday and keeps yesterday and today', async () => {
    const now = Date.parse('2027-03-10T08:00:00Z');
    const keyId = randomUUID();
    for (const day of ['2027-03-08', '2027-03-09', '2027-03-10']) await first().quotaCounters.reserve(keyId, day, 1, 5);
    const pruning = new DrizzleQuotaCounterStore(first().db, { now: () => now });
    // A reservation triggers the (background) prune; wait until the old day is gone.
    await pruning.reserve(randomUUID(), utcDay(now), 1, 5);
    const days = async () =>
      ((await first().db.execute(sql`select to_char(day, 'YYYY-MM-DD') as day from memgate.key_quota_counters where key_id = ${keyId} order by day`)) as unknown as { rows: { day: string }[] }).rows.map((row) => row.day);
    for (let attempt = 0; attempt < 50 && (await days()).length === 3; attempt += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await days()).toEqual(['2027-03-09', '2027-03-10']);
  });
}
