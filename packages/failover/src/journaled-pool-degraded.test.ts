import { NotFoundError, ValidationError } from '@memgate/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createFailoverPool } from './create-failover-pool.js';
import type { FailoverPool } from './failover-pool.js';
import { createInMemoryWriteJournal } from './in-memory-write-journal.js';
import { down, journaledPoolOf, textsOn } from './journaled-pool.test-support.js';
import { createReplicator } from './replicator.js';

const pools: FailoverPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.close()));
});
const userId = (): string => `user-${Math.random().toString(36).slice(2)}`;
const everything = { type: 'and', filters: [] } as const;

/** A pool of a and b, and a memory acknowledged on a alone while b was down: b is up again and lags on it. */
async function onlyOnA() {
  const journaled = journaledPoolOf(['a', 'b']);
  pools.push(journaled.pool);
  const scope = { userId: userId() };
  journaled.faults.b!.error = down;
  const [record] = await journaled.pool.add([{ ...scope, memory: 'only on a' }]);
  journaled.faults.b!.error = undefined;
  return { ...journaled, scope, record: record! };
}

describe('journaled pool with a member down', () => {
  it('with writeQuorum 2, a write is on both members while both are up, and is acknowledged on the one that is up when the other is down', async () => {
    const { pool, faults, members } = journaledPoolOf(['a', 'b'], { writeQuorum: 2 });
    pools.push(pool);
    const scope = { userId: userId() };
    await pool.add([{ ...scope, memory: 'both up' }]);
    expect([await textsOn(members.a!), await textsOn(members.b!)]).toEqual([['both up'], ['both up']]);
    faults.a!.error = down;
    await expect(pool.add([{ ...scope, memory: 'a down' }])).resolves.toHaveLength(1);
    expect(await textsOn(members.b!)).toContain('a down');
    expect(pool.replication!.tracker.behind('a')).toBe(1);
  });

  it('a read whose admitted members fail retryably falls back to a member that is up, with the journal\'s writes it misses, instead of failing the caller', async () => {
    const { pool, faults } = journaledPoolOf(['a', 'b']);
    pools.push(pool);
    const scope = { userId: userId() };
    // b misses a write (it is behind), so reads are admitted to a only; then a dies.
    faults.b!.error = down;
    await pool.add([{ ...scope, memory: 'only on a' }]);
    faults.b!.error = undefined;
    expect(pool.replication!.tracker.behind('b')).toBe(1);
    faults.a!.error = down;
    const listing = await pool.list(everything, { page: 1, pageSize: 10 });
    expect(listing.items.map((record) => record.memory)).toEqual(['only on a']);
    expect(listing.total).toBe(1);
  });

  it('a read of one memory never falls back to a member that has not received that memory: it is answered from that member plus the journal', async () => {
    const { pool, faults, record } = await onlyOnA();
    faults.a!.error = down;
    // b alone would answer "no such memory": a stale read. With the add it has not applied yet, the journal completes it.
    expect(await pool.get(record.id)).toEqual(record);
  });
});

describe('an update whose memory\'s only holder is down', () => {
  it('is journaled and acknowledged with the memory as it will be (the journal holds its add), reads show it, and the replicator applies both in order', async () => {
    const { pool, faults, members, scope, record } = await onlyOnA();
    faults.a!.error = down;
    // b lags on the memory and a is down: neither can take the update directly.
    const updated = await pool.update(record.id, { memory: 'changed while a was down' });
    expect(updated).toMatchObject({ id: record.id, memory: 'changed while a was down', userId: scope.userId });
    expect(await pool.get(record.id)).toMatchObject({ memory: 'changed while a was down' });
    expect(await textsOn(members.b!)).toEqual([]); // not applied on b yet: journaled only
    faults.a!.error = undefined;
    await createReplicator({ pool, onError: () => {} }).drain();
    expect(await textsOn(members.b!)).toEqual(['changed while a was down']);
    expect(await textsOn(members.a!)).toEqual(['changed while a was down']);
  });

  it('of a memory no member knows is a 404, and an invalid patch a 400, and neither stays in the journal', async () => {
    const { pool, faults, record } = await onlyOnA();
    await pool.delete(record.id);
    faults.a!.error = down;
    await expect(pool.update(record.id, { memory: 'too late' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(pool.update(record.id, { memory: 42 as unknown as string })).rejects.toBeInstanceOf(ValidationError);
    expect(pool.replication!.tracker.behind('b')).toBe(2); // the add and the delete: both refused updates were discarded
  });
});

describe('idempotency keys across a gateway restart', () => {
  it('a retry with the same key after a crash (the key was never recorded) replays the same ids instead of storing a second copy', async () => {
    const first = journaledPoolOf(['a', 'b']);
    pools.push(first.pool);
    const scope = { userId: userId() };
    const [written] = await first.pool.add([{ ...scope, memory: 'once' }], { idempotencyKey: 'crash-1', principal: { id: 'client' } });
    // A restarted gateway: same members and journal, but an idempotency store that never saw the key.
    const restarted = createFailoverPool({ name: 'pool', providers: [{ provider: first.members.a! }, { provider: first.members.b! }], journal: first.journal, closeMembers: false, onError: () => {} });
    pools.push(restarted);
    const [retried] = await restarted.add([{ ...scope, memory: 'once' }], { idempotencyKey: 'crash-1', principal: { id: 'client' } });
    expect(retried!.id).toBe(written!.id);
    expect(await textsOn(first.members.a!)).toEqual(['once']);
    const [other] = await restarted.add([{ ...scope, memory: 'once' }], { idempotencyKey: 'crash-1', principal: { id: 'someone-else' } });
    expect(other!.id).not.toBe(written!.id);
  });
});

describe('a delivery the write path cannot mark', () => {
  it('leaves the member behind on that memory, so no newer write goes straight to it ahead of the replay', async () => {
    const journal = createInMemoryWriteJournal();
    journal.markDelivered = async () => {
      throw new Error('the state store is gone for a moment');
    };
    const { pool } = journaledPoolOf(['a', 'b'], { journal });
    pools.push(pool);
    const [record] = await pool.add([{ userId: userId(), memory: 'marked nowhere' }]);
    expect(pool.replication!.tracker.pendingFor('a', [record!.id])).toBe(true);
    expect(pool.replication!.tracker.pendingFor('b', [record!.id])).toBe(true);
  });
});
