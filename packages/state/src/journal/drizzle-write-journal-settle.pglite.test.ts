import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StateDrizzle } from '../connection/state-database.js';
import { createStateStore, type StateStore } from '../create-state-store.js';
import { DrizzleWriteJournal } from './drizzle-write-journal.js';

// One PGlite per file: a fresh instance costs seconds.
let store: StateStore;
beforeAll(async () => {
  store = await createStateStore({ url: 'pglite://memory' });
}, 30_000);
afterAll(() => store?.close());

/** A journal over the store's database that counts the statements it sends. */
function countingJournal(): { journal: DrizzleWriteJournal; statements: () => number } {
  let statements = 0;
  const db = new Proxy(store.db, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (property !== 'execute' || typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        statements += 1;
        return (value as (...inner: unknown[]) => unknown).apply(target, args);
      };
    },
  }) as StateDrizzle;
  return { journal: new DrizzleWriteJournal(db), statements: () => statements };
}

const pool = (): string => `settle-${Math.random().toString(36).slice(2)}`;
const lease = { owner: 'write-path', leaseMs: 60_000 };

describe('DrizzleWriteJournal: the write path settles its deliveries in one statement', () => {
  it('markDelivered for the holder and release for the rest, issued together, are one statement; the rest is claimable at once', async () => {
    const { journal, statements } = countingJournal();
    const name = pool();
    const [entry] = await journal.append([{ pool: name, op: 'add', memoryId: 'm1', payload: { id: 'm1' }, members: ['a', 'b'] }], lease);
    const before = statements();
    await Promise.all([journal.markDelivered(name, 'a', [entry!.id]), journal.release(name, 'b', [entry!.id])]);
    expect(statements() - before).toBe(1);
    expect(await journal.backlog(name)).toEqual([
      { member: 'a', entries: 0, bytes: 0, failed: 0, oldestAt: null },
      expect.objectContaining({ member: 'b', entries: 1 }),
    ]);
    // Released, not leased any more: a replicator claims it now, not when the write path's lease would have run out.
    expect((await journal.claim({ pool: name, member: 'b', owner: 'replicator', limit: 10, leaseMs: 1000 })).map((claimed) => claimed.id)).toEqual([entry!.id]);
  });

  it('the settles of 20 concurrent writes go out in at most a few statements, each resolved once its rows are written', async () => {
    const { journal, statements } = countingJournal();
    const name = pool();
    const entries = await Promise.all(Array.from({ length: 20 }, (_, index) => journal.append([{ pool: name, op: 'add', memoryId: `m${index}`, payload: { index }, members: ['a', 'b'] }], lease)));
    const before = statements();
    await Promise.all(entries.flatMap(([entry]) => [journal.markDelivered(name, 'a', [entry!.id]), journal.release(name, 'b', [entry!.id])]));
    expect(statements() - before).toBeLessThanOrEqual(2);
    const backlog = await journal.backlog(name);
    expect(backlog.find((row) => row.member === 'a')?.entries).toBe(0);
    expect(backlog.find((row) => row.member === 'b')?.entries).toBe(20);
    expect(await journal.claim({ pool: name, member: 'b', owner: 'replicator', limit: 100, leaseMs: 1000 })).toHaveLength(20);
  });

  it('a delivery released and marked delivered in one batch ends delivered; a release never undoes a delivery', async () => {
    const { journal } = countingJournal();
    const name = pool();
    const [first, second] = await journal.append(
      [
        { pool: name, op: 'add', memoryId: 'x', payload: { id: 'x' }, members: ['a'] },
        { pool: name, op: 'add', memoryId: 'y', payload: { id: 'y' }, members: ['a'] },
      ],
      lease,
    );
    await Promise.all([journal.release(name, 'a', [first!.id]), journal.markDelivered(name, 'a', [first!.id])]);
    await journal.markDelivered(name, 'a', [second!.id]);
    await journal.release(name, 'a', [second!.id]);
    expect((await journal.backlog(name))[0]).toMatchObject({ member: 'a', entries: 0 });
  });

  it('a release with a next attempt time is its own statement and defers the claim; another pool is never touched', async () => {
    const { journal } = countingJournal();
    const [name, other] = [pool(), pool()];
    const [entry] = await journal.append([{ pool: name, op: 'delete', memoryId: 'z', payload: null, members: ['a'] }], lease);
    await journal.release(name, 'a', [entry!.id], Date.now() + 60_000);
    expect(await journal.claim({ pool: name, member: 'a', owner: 'replicator', limit: 10, leaseMs: 1000 })).toEqual([]);
    await journal.markDelivered(other, 'a', [entry!.id]);
    expect((await journal.backlog(name))[0]).toMatchObject({ member: 'a', entries: 1 });
  });

  it('a failing statement rejects every call in its batch', async () => {
    const journal = new DrizzleWriteJournal({ execute: () => Promise.reject(new Error('connection refused')) } as unknown as StateDrizzle);
    const results = await Promise.allSettled([journal.markDelivered('p', 'a', [1]), journal.release('p', 'b', [1])]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
  });
});
