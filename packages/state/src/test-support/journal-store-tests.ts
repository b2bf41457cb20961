import { matchAllFilter, ProviderUnavailableError, type MemoryProviderV1 } from '@memgate/core';
import { createFailoverPool, createReplicator } from '@memgate/failover';
import { createInMemoryMemoryProvider } from '@memgate/testkit';
import { expect, it } from 'vitest';
import type { StateStore } from '../create-state-store.js';

/** A member that can be switched off. */
function switchable(provider: MemoryProviderV1, down: { value: boolean }): MemoryProviderV1 {
  const refuse = (): Promise<never> => Promise.reject(new ProviderUnavailableError({ message: 'connection refused' }));
  return { ...provider, add: (records, options) => (down.value ? refuse() : provider.add(records, options)), delete: (id, options) => (down.value ? refuse() : provider.delete(id, options)) };
}

/** The store's write journal under a journaled pool: the same checks on every driver. */
export function journalStoreTests(store: () => StateStore): void {
  it('journal: a member down during writes gets every acknowledged write once, deletes included, and the journal is pruned', async () => {
    const pool = `replay-${Math.random().toString(36).slice(2)}`;
    const a = createInMemoryMemoryProvider({ name: 'a' });
    const b = createInMemoryMemoryProvider({ name: 'b' });
    const down = { value: false };
    const memory = createFailoverPool({ name: pool, providers: [{ provider: a }, { provider: switchable(b, down) }], journal: store().journal, breaker: { cooldownMs: 10, soloCooldownMs: 10 }, onError: () => {} });
    const kept = await memory.add([{ userId: 'u', memory: 'before' }]);
    down.value = true;
    const during = await memory.add(Array.from({ length: 5 }, (_, index) => ({ userId: 'u', memory: `during ${index}` })));
    await memory.delete(kept[0]!.id);
    expect((await store().journal.backlog(pool)).find((figures) => figures.member === 'b')?.entries).toBe(7);
    down.value = false;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await createReplicator({ pool: memory, tombstoneRetentionMs: 0, onError: () => {} }).drain(10_000)).toBe(true);
    const onB = (await b.list(matchAllFilter, { page: 1, pageSize: 100 })).items.map((record) => record.id).sort();
    expect(onB).toEqual(during.map((record) => record.id).sort());
    expect(await store().journal.position(pool)).toBe(0);
    await memory.close();
  });

  it('journal: idempotency keys keep the first result until they expire', async () => {
    const first = await store().idempotency.put('p', 'k', { requestHash: 'h1', result: { id: 1 } }, 60_000);
    const second = await store().idempotency.put('p', 'k', { requestHash: 'h2', result: { id: 2 } }, 60_000);
    expect(second).toEqual(first);
    expect(await store().idempotency.get('p', 'other')).toBeNull();
    await store().idempotency.put('p', 'short', { requestHash: 'h1', result: null }, 1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await store().idempotency.get('p', 'short')).toBeNull();
  });

  it('journal: lists every undelivered delivery with its memory, for a process that did not append them', async () => {
    const pool = `pending-${Math.random().toString(36).slice(2)}`;
    const journal = store().journal;
    const [first, second] = await journal.append([
      { pool, op: 'add', memoryId: 'm1', payload: { memory: 'one' }, members: ['a', 'b'] },
      { pool, op: 'delete', memoryId: 'm2', payload: null, members: ['a', 'b'] },
    ]);
    await journal.markDelivered(pool, 'a', [first!.id, second!.id]);
    await journal.markFailed(pool, 'b', [second!.id], { error: 'gone', nextAttemptAt: Date.now(), permanent: true });
    expect(await journal.pendingDeliveries(pool)).toEqual([
      { member: 'b', entryId: first!.id, memoryId: 'm1', bytes: first!.bytes },
      { member: 'b', entryId: second!.id, memoryId: 'm2', bytes: 0 },
    ]);
    expect(await journal.pendingDeliveries('another-pool')).toEqual([]);
    // What a read from b must add on top of what b holds, per memory (ids with quotes and backslashes travel intact).
    const [odd] = await journal.append([{ pool, op: 'add', memoryId: 'm"3\\x', payload: { memory: 'odd' }, members: ['b'] }]);
    expect((await journal.pendingEntriesFor(pool, 'b', ['m1', 'm"3\\x'])).map((entry) => entry.id)).toEqual([first!.id, odd!.id]);
    expect(await journal.pendingEntriesFor(pool, 'a', ['m1', 'm2'])).toEqual([]);
    expect(await journal.pendingEntriesFor(pool, 'b', [])).toEqual([]);
    // Entries appended under a lease wait for their owner; a restarted owner releases what it held.
    const [leased] = await journal.append([{ pool, op: 'add', memoryId: 'm4', payload: { memory: 'leased' }, members: ['c'] }], { owner: 'writer/write', leaseMs: 60_000 });
    expect(await journal.claim({ pool, member: 'c', owner: 'replicator', limit: 10, leaseMs: 1000 })).toEqual([]);
    expect(await journal.releaseOwner(pool, 'writer/write')).toBe(1);
    expect((await journal.claim({ pool, member: 'c', owner: 'replicator', limit: 10, leaseMs: 1000 })).map((entry) => entry.id)).toEqual([leased!.id]);
  });
}
