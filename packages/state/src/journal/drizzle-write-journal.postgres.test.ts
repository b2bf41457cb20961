import { sql } from 'drizzle-orm';
import { matchAllFilter, type MemoryProviderV1 } from '@memgate/core';
import { createFailoverPool, createReplicator, type FailoverPool } from '@memgate/failover';
import { createInMemoryMemoryProvider, createTestDatabase, type TestDatabase } from '@memgate/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStateStore, type StateStore } from '../create-state-store.js';
import { journalStoreTests } from '../test-support/journal-store-tests.js';

let database: TestDatabase;
let first: StateStore;
let second: StateStore;
beforeAll(async () => {
  database = await createTestDatabase({ prefix: 'memgate_journal' });
  [first, second] = await Promise.all([createStateStore({ url: database.url }), createStateStore({ url: database.url })]);
}, 30_000);
afterAll(async () => {
  await Promise.allSettled([first?.close(), second?.close()]);
  await database?.drop();
});

/** Counts every record each add call carries, by memory id: a second delivery of one entry shows as 2. */
function counting(provider: MemoryProviderV1, counts: Map<string, number>): MemoryProviderV1 {
  return {
    ...provider,
    add: (records, options) => {
      for (const record of records) counts.set(record.id!, (counts.get(record.id!) ?? 0) + 1);
      return provider.add(records, options);
    },
  };
}

describe('the write journal on a PostgreSQL server', () => {
  journalStoreTests(() => first);

  it('two replicators on two journal instances split the backlog and never deliver an entry twice', async () => {
    const a = createInMemoryMemoryProvider({ name: 'a' });
    const b = createInMemoryMemoryProvider({ name: 'b' });
    const deliveredToB = new Map<string, number>();
    const poolOn = (store: StateStore): FailoverPool =>
      createFailoverPool({ name: 'split', providers: [{ provider: a }, { provider: counting(b, deliveredToB) }], journal: store.journal, closeMembers: false, onError: () => {} });
    const writer = poolOn(first);
    const other = poolOn(second);
    for (let index = 0; index < 40; index += 1) await writer.add(Array.from({ length: 10 }, (_, offset) => ({ userId: 'u', memory: `s-${index}-${offset}` })));
    deliveredToB.clear();
    const replicators = [createReplicator({ pool: writer, batchSize: 25, idleMs: 5, onError: () => {} }), createReplicator({ pool: other, batchSize: 25, idleMs: 5, onError: () => {} })];
    const perReplicator = [0, 0];
    replicators.forEach((replicator, index) => replicator.onEvent((event) => void (event.type === 'delivered' && (perReplicator[index] = (perReplicator[index] ?? 0) + event.entries))));
    for (const replicator of replicators) replicator.start();
    for (let waited = 0; waited < 500 && (await first.journal.backlog('split')).some((figures) => figures.entries > 0); waited += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    await Promise.all(replicators.map((replicator) => replicator.stop()));
    expect((await b.list(matchAllFilter, { page: 1, pageSize: 1000 })).total).toBe(400);
    expect(deliveredToB.size).toBe(400);
    expect([...deliveredToB.values()].every((count) => count === 1)).toBe(true);
    expect(perReplicator[0]! + perReplicator[1]!).toBe(400);
    expect(perReplicator.every((count) => count > 0)).toBe(true);
    // Every entry, delivered to both, is prunable: the replicators' housekeeping may have pruned some already.
    await first.journal.prune('split');
    const left = (await first.db.execute(sql`select count(*)::int as entries from memgate.journal_entries where pool = 'split'`)) as unknown as { rows: { entries: number }[] };
    expect(left.rows[0]!.entries).toBe(0);
    await Promise.all([writer.close(), other.close()]);
  });

  it('claims keep order per memory: a later entry waits while an earlier one of the same memory is leased elsewhere', async () => {
    const [add, update, other] = await first.journal.append([
      { pool: 'order', op: 'add', memoryId: 'm-1', payload: { memory: 'v1' }, members: ['x'] },
      { pool: 'order', op: 'update', memoryId: 'm-1', payload: { memory: 'v2' }, members: ['x'] },
      { pool: 'order', op: 'add', memoryId: 'm-2', payload: { memory: 'w1' }, members: ['x'] },
    ]);
    expect(update!.version).toBeGreaterThan(add!.version);
    expect((await first.journal.claim({ pool: 'order', member: 'x', owner: 'r1', limit: 1, leaseMs: 60_000 })).map((entry) => entry.id)).toEqual([add!.id]);
    expect((await second.journal.claim({ pool: 'order', member: 'x', owner: 'r2', limit: 10, leaseMs: 60_000 })).map((entry) => entry.id)).toEqual([other!.id]);
    await first.journal.markDelivered('order', 'x', [add!.id]);
    // r2 gets the update now, and keeps the entry it already holds.
    expect((await second.journal.claim({ pool: 'order', member: 'x', owner: 'r2', limit: 10, leaseMs: 60_000 })).map((entry) => entry.id)).toEqual([update!.id, other!.id]);
    await second.journal.markFailed('order', 'x', [update!.id], { error: 'down', nextAttemptAt: Date.now() + 60_000 });
    expect(await first.journal.claim({ pool: 'order', member: 'x', owner: 'r1', limit: 10, leaseMs: 60_000 })).toEqual([]);
    expect((await first.journal.backlog('order')).map(({ member, entries, failed }) => ({ member, entries, failed }))).toEqual([{ member: 'x', entries: 2, failed: 0 }]);
    await first.journal.append([{ pool: 'order', op: 'delete', memoryId: 'm-2', payload: null, members: ['x'] }]);
    expect([...(await first.journal.tombstones('order', ['m-1', 'm-2']))]).toEqual(['m-2']);
  });

  it('a journaled pool over the shared journal acknowledges only durable writes, and idempotency keys hold across replicas', async () => {
    const a = createInMemoryMemoryProvider({ name: 'a' });
    const pool = (store: StateStore): FailoverPool => createFailoverPool({ name: 'keys', providers: [{ provider: a }], journal: store.journal, idempotency: store.idempotency, closeMembers: false, onError: () => {} });
    const [one, two] = [pool(first), pool(second)];
    const made = await one.add([{ userId: 'k', memory: 'only once' }], { idempotencyKey: 'retry-me' });
    expect(await two.add([{ userId: 'k', memory: 'only once' }], { idempotencyKey: 'retry-me' })).toEqual(made);
    expect((await a.list(matchAllFilter, { page: 1, pageSize: 10 })).total).toBe(1);
    expect(await first.journal.position('keys')).toBeGreaterThan(0);
    await Promise.all([one.close(), two.close()]);
  });
});
