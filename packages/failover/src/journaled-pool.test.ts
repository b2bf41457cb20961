import { ConflictError, NotFoundError, ProviderTimeoutError, ProviderUnavailableError, type MemoryProviderV1 } from '@memgate/core';
import { checkHistory, createHistoryRecorder, createInMemoryMemoryProvider } from '@memgate/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { applyJournalEntry } from './apply-journal-entry.js';
import { createFailoverPool } from './create-failover-pool.js';
import type { FailoverPool } from './failover-pool.js';
import { createInMemoryWriteJournal } from './in-memory-write-journal.js';
import { down, journaledPoolOf, textsOn } from './journaled-pool.test-support.js';
import { reconcilePool } from './reconcile-pool.js';
import { createReplicator } from './replicator.js';
import { resyncMember } from './resync-member.js';
import { scheduleReconciliation } from './schedule-reconciliation.js';

const pools: FailoverPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.close()));
});
const track = <T extends { pool: FailoverPool }>(made: T): T => (pools.push(made.pool), made);
const userId = (): string => `user-${Math.random().toString(36).slice(2)}`;

describe('journaled pool: writes are never lost', () => {
  it('a member down during writes holds every acknowledged write exactly once after replay, and reads after each ack see it', async () => {
    const { pool, faults, members } = track(journaledPoolOf(['a', 'b']));
    const recorder = createHistoryRecorder();
    const scope = { userId: userId() };
    const readAll = async (): Promise<string[]> => (await pool.list({ type: 'and', filters: [] }, { page: 1, pageSize: 1000 })).items.map((record) => record.memory);
    const replicator = createReplicator({ pool, onError: () => {} });
    for (let index = 0; index < 60; index += 1) {
      // Replication lag is short next to an outage: b has caught up when a goes down.
      if (index === 10) expect(await replicator.drain()).toBe(true);
      // a fails for writes 10..39, then comes back behind: reads and writes must avoid it until it has caught up.
      faults.a!.error = index >= 10 && index < 40 ? down : undefined;
      const client = `client-${index % 3}`;
      await recorder.run(client, 'add', `m-${index}`, () => pool.add([{ ...scope, memory: `m-${index}` }]));
      await recorder.read(client, readAll);
    }
    expect([pool.replication!.tracker.behind('a'), pool.replication!.tracker.behind('b')]).toEqual([50, 0]);
    expect(await replicator.drain()).toBe(true);
    const result = checkHistory(recorder.history(), { a: await textsOn(members.a!), b: await textsOn(members.b!) }, { staleness: 'any' });
    expect(result.counts).toMatchObject({ acknowledged: 60, present: 60, lost: 0, duplicated: 0, stale: 0 });
    expect(result.valid).toBe(true);
    expect(replicator.statistics().delivered).toBe(60);
    expect(pool.replication!.tracker.behind('a')).toBe(0);
  });

  it('with writeQuorum 2, concurrent clients lose nothing and read their writes while a member fails under load with the replicator running', async () => {
    const { pool, faults, members } = track(journaledPoolOf(['a', 'b', 'c'], { writeQuorum: 2 }));
    const recorder = createHistoryRecorder();
    const scope = { userId: userId() };
    const replicator = createReplicator({ pool, idleMs: 2, backoffBaseMs: 10, backoffMaxMs: 50, onError: () => {} });
    replicator.start();
    const readAll = async (): Promise<string[]> => (await pool.list({ type: 'and', filters: [] }, { page: 1, pageSize: 1000 })).items.map((record) => record.memory);
    let operations = 0;
    await Promise.all(
      ['x', 'y', 'z'].map(async (client) => {
        for (let index = 0; index < 30; index += 1) {
          operations += 1;
          faults.a!.error = operations > 20 && operations < 60 ? down : undefined;
          await recorder.run(client, 'add', `${client}-${index}`, () => pool.add([{ ...scope, memory: `${client}-${index}` }])).catch(() => undefined);
          await recorder.read(client, readAll).catch(() => undefined);
        }
      }),
    );
    faults.a!.error = undefined;
    await replicator.stop();
    expect(await replicator.drain()).toBe(true);
    const result = checkHistory(recorder.history(), { a: await textsOn(members.a!), b: await textsOn(members.b!), c: await textsOn(members.c!) });
    expect(result.counts).toMatchObject({ acknowledged: 90, present: 90, lost: 0, duplicated: 0, stale: 0 });
    expect(result.valid).toBe(true);
  });

  it('deletes during the outage do not resurrect after replay and reconciliation', async () => {
    const { pool, faults, members } = track(journaledPoolOf(['a', 'b']));
    const scope = { userId: userId() };
    const added = await pool.add(Array.from({ length: 10 }, (_, index) => ({ ...scope, memory: `keep-or-delete-${index}` })));
    await createReplicator({ pool, onError: () => {} }).drain();
    faults.a!.error = down;
    for (const record of added.slice(0, 5)) await pool.delete(record.id);
    await pool.deleteAll({ userId: 'nobody-here' });
    faults.a!.error = undefined;
    await createReplicator({ pool, onError: () => {} }).drain();
    const report = await reconcilePool(pool);
    expect(report.repairs).toEqual([]);
    for (const member of [members.a!, members.b!]) {
      expect((await textsOn(member)).sort()).toEqual(added.slice(5).map((record) => record.memory).sort());
      for (const record of added.slice(0, 5)) expect(await member.get(record.id)).toBeNull();
    }
  });

  it('a memory acknowledged on a member that then dies, before the other got it: a read is answered from the other plus the journal, an update and a delete are acknowledged and replay in order; never a false 404', async () => {
    // Breakers stay open (no half-open trial in the middle of the checks); forceIn closes them.
    const { pool, faults, members } = track(journaledPoolOf(['a', 'b'], { breaker: { consecutiveFailures: 1, cooldownMs: 60_000, soloCooldownMs: 60_000 } }));
    const scope = { userId: userId() };
    // b refuses while the write is acknowledged (sloppy quorum: a alone), then a dies before the replicator copied it.
    faults.b!.error = down;
    const [record] = await pool.add([{ ...scope, memory: 'only on a' }]);
    faults.b!.error = undefined;
    pool.forceIn('b'); // b is up again, still missing the write
    faults.a!.error = down;
    expect(pool.replication!.tracker.pendingFor('b', [record!.id])).toBe(true);
    expect(await members.b!.get(record!.id)).toBeNull();
    expect(await pool.get(record!.id)).toEqual(record);
    // The update is journaled behind the add b misses, and answered with the memory as b will hold it.
    const changed = await pool.update(record!.id, { memory: 'changed' });
    expect(changed).toMatchObject({ id: record!.id, memory: 'changed', createdAt: record!.createdAt });
    expect(await members.b!.get(record!.id)).toBeNull();
    expect(await pool.get(record!.id)).toEqual(changed);
    await pool.delete(record!.id);
    expect(await members.b!.get(record!.id)).toBeNull();
    // Read-your-writes through the journal: the delete is seen at once.
    expect(await pool.get(record!.id)).toBeNull();
    faults.a!.error = undefined;
    pool.forceIn('a');
    expect(await createReplicator({ pool, onError: () => {} }).drain()).toBe(true);
    expect(await members.a!.get(record!.id)).toBeNull();
    expect(await members.b!.get(record!.id)).toBeNull();
    expect(await pool.get(record!.id)).toBeNull();
    // A memory that exists nowhere is still a 404.
    await expect(pool.delete(record!.id)).rejects.toSatisfy(NotFoundError.isInstance);
  });

  it('an update whose memory a later entry of the same batch already deleted is moot, not a permanent failure that stalls the backlog', async () => {
    const { pool, faults, members } = track(journaledPoolOf(['a', 'b']));
    const scope = { userId: userId() };
    const [record] = await pool.add([{ ...scope, memory: 'on both' }]);
    const replicator = createReplicator({ pool, onError: () => {} });
    expect(await replicator.drain()).toBe(true);
    faults.b!.error = down;
    await pool.update(record!.id, { memory: 'changed while b was down' });
    await pool.delete(record!.id);
    await pool.add([{ ...scope, memory: 'added while b was down' }]);
    // b is back; the batch of its three entries applies the update and the delete, then its add fails once:
    // the replicator starts over one entry at a time, and the update finds the memory gone.
    let calls = 0;
    faults.b!.error = () => ((calls += 1) === 4 ? down() : undefined); // get, update, delete, then the add fails
    const failures: string[] = [];
    replicator.onEvent((event) => void (event.type === 'delivery-failed' && failures.push(`${event.entryId} ${event.error}`)));
    expect(await replicator.drain()).toBe(true);
    expect(calls).toBeGreaterThan(4);
    expect(failures.filter((failure) => failure.includes('missing'))).toEqual([]);
    expect(await textsOn(members.b!)).toEqual(['added while b was down']);
    expect(pool.replication!.tracker.behind('b')).toBe(0);
  });

  it('a delete whose first attempt landed but answered a timeout is retried to a success, not a 404, and its tombstone still reaches the member that was down', async () => {
    const a = createInMemoryMemoryProvider({ name: 'a' });
    const b = createInMemoryMemoryProvider({ name: 'b' });
    const aDown = { value: false };
    let loseNextDeleteAnswer = false;
    const flakyA: MemoryProviderV1 = { ...a, add: (records, options) => (aDown.value ? Promise.reject(down()) : a.add(records, options)), delete: (id, options) => (aDown.value ? Promise.reject(down()) : a.delete(id, options)) };
    const lossyB: MemoryProviderV1 = {
      ...b,
      delete: async (id, options) => {
        await b.delete(id, options);
        if (loseNextDeleteAnswer) {
          loseNextDeleteAnswer = false;
          throw new ProviderTimeoutError({ message: 'the answer was lost after the delete committed' });
        }
      },
    };
    const pool = createFailoverPool({ name: 'pool', providers: [{ provider: flakyA }, { provider: lossyB }], journal: createInMemoryWriteJournal(), breaker: { consecutiveFailures: 3, cooldownMs: 10_000, soloCooldownMs: 10_000 }, retry: { attemptTimeoutMs: 1000, backoffBaseMs: 1, backoffMaxMs: 2 }, onError: () => {} });
    pools.push(pool);
    const [record] = await pool.add([{ userId: userId(), memory: 'deleted through a lost answer' }]);
    await createReplicator({ pool, onError: () => {} }).drain();
    aDown.value = true;
    pool.forceOut('a'); // as an open breaker would: the delete goes to b alone
    loseNextDeleteAnswer = true;
    await pool.delete(record!.id);
    expect(await b.get(record!.id)).toBeNull();
    aDown.value = false;
    pool.forceIn('a');
    expect(await createReplicator({ pool, onError: () => {} }).drain()).toBe(true);
    expect(await a.get(record!.id)).toBeNull();
  });

  it('no replicator claims an entry while the write path applies it itself; what a member did not take is claimable at once after the write', async () => {
    const { pool, journal, faults } = track(journaledPoolOf(['a', 'b'], { writeQuorum: 2 }));
    const scope = { userId: userId() };
    faults.b!.delayMs = 100;
    const writing = pool.add([{ ...scope, memory: 'applied by the write path' }]);
    await new Promise((resolve) => setTimeout(resolve, 30));
    // The entry is in the journal, pending on b, and leased to the write path: a replicator racing it could apply it after a later delete.
    expect(await journal.claim({ pool: 'pool', member: 'b', owner: 'replicator', limit: 10, leaseMs: 1000 })).toEqual([]);
    await writing;
    expect(await journal.claim({ pool: 'pool', member: 'b', owner: 'replicator', limit: 10, leaseMs: 1000 })).toEqual([]);
    faults.b!.delayMs = 0;
    faults.b!.error = down;
    const [missed] = await pool.add([{ ...scope, memory: 'b was down' }]);
    expect((await journal.claim({ pool: 'pool', member: 'b', owner: 'replicator', limit: 10, leaseMs: 1000 })).map((entry) => entry.memoryId)).toEqual([missed!.id]);
  });

  it('a pool started over a journal with undelivered entries (a restarted gateway) reads the per-memory view from it before serving', async () => {
    const journal = createInMemoryWriteJournal();
    const before = track(journaledPoolOf(['a', 'b'], { journal }));
    before.faults.b!.error = down;
    const [record] = await before.pool.add([{ userId: userId(), memory: 'written before the restart' }]);
    const after = track(journaledPoolOf(['a', 'b'], { journal }));
    expect(after.pool.replication!.tracker.pendingFor('b', [record!.id])).toBe(false);
    await after.pool.replication!.refresh();
    expect(after.pool.replication!.tracker.pendingFor('b', [record!.id])).toBe(true);
    expect(after.pool.replication!.tracker.behind('b')).toBe(1);
  });

  it('a second pool built over the same journal with the same tracker keeps the first pool\'s view of who misses what', async () => {
    const journal = createInMemoryWriteJournal();
    const first = track(journaledPoolOf(['a', 'b'], { journal }));
    first.faults.b!.error = down;
    const [record] = await first.pool.add([{ userId: userId(), memory: 'before the rebuild' }]);
    const second = track(journaledPoolOf(['a', 'b'], { journal, tracker: first.pool.replication!.tracker }));
    await second.members.a!.add([{ userId: 'u', memory: 'x', id: record!.id }]);
    expect(second.pool.replication!.tracker.pendingFor('b', [record!.id])).toBe(true);
    expect(second.pool.replication!.tracker.behind('b')).toBe(1);
  });

  it('updates replay in order per memory, and a late update never overwrites a newer one', async () => {
    const { pool, journal, faults, members } = track(journaledPoolOf(['a', 'b']));
    const [record] = await pool.add([{ userId: userId(), memory: 'v1' }]);
    await createReplicator({ pool, onError: () => {} }).drain();
    faults.a!.error = down;
    for (const text of ['v2', 'v3', 'v4']) await pool.update(record!.id, { memory: text });
    faults.a!.error = undefined;
    await createReplicator({ pool, batchSize: 1, onError: () => {} }).drain();
    expect((await members.a!.get(record!.id))?.memory).toBe('v4');
    expect((await members.a!.history(record!.id)).map((event) => event.newMemory)).toEqual(['v1', 'v2', 'v3', 'v4']);
    // Replaying the oldest update again (a redelivery after a lease ran out) changes nothing.
    const [old] = await journal.append([{ pool: 'pool', op: 'update', memoryId: record!.id, payload: { memory: 'v2', updatedAt: new Date(0).toISOString() }, members: [] }]);
    await applyJournalEntry(members.a!, old!, {});
    expect((await members.a!.get(record!.id))?.memory).toBe('v4');
  });

  it('an idempotency key makes a retried write return the first result and write nothing twice', async () => {
    const { pool, members } = track(journaledPoolOf(['a', 'b']));
    const scope = { userId: userId() };
    const [first, second] = await Promise.all([pool.add([{ ...scope, memory: 'once' }], { idempotencyKey: 'k-1' }), pool.add([{ ...scope, memory: 'once' }], { idempotencyKey: 'k-1' })]);
    const third = await pool.add([{ ...scope, memory: 'once' }], { idempotencyKey: 'k-1' });
    expect(second).toEqual(first);
    expect(third).toEqual(first);
    expect(await textsOn(members.a!)).toEqual(['once']);
    await expect(pool.add([{ ...scope, memory: 'other' }], { idempotencyKey: 'k-1' })).rejects.toSatisfy(ConflictError.isInstance);
    // Another principal may use the same key for its own write.
    await pool.add([{ ...scope, memory: 'theirs' }], { idempotencyKey: 'k-1', principal: { id: 'someone-else' } });
    expect((await textsOn(members.a!)).sort()).toEqual(['once', 'theirs']);
  });

  it('acknowledges nothing when the journal cannot be written, and writes nothing', async () => {
    const journal = createInMemoryWriteJournal();
    const { pool, members } = track(journaledPoolOf(['a', 'b'], { journal: { ...journal, append: () => Promise.reject(new Error('disk full')) } }));
    const error = await pool.add([{ userId: userId(), memory: 'never' }]).catch((caught: unknown) => caught);
    expect(ProviderUnavailableError.isInstance(error) && !error.isRetryable && /journal/.test(error.message)).toBe(true);
    expect(await textsOn(members.a!)).toEqual([]);
    expect(await textsOn(members.b!)).toEqual([]);
  });

  it('a definite caller error leaves no entry to replay', async () => {
    const { pool, journal } = track(journaledPoolOf(['a', 'b']));
    await expect(pool.update('no-such-memory', { memory: 'x' })).rejects.toSatisfy(NotFoundError.isInstance);
    expect(await journal.position('pool')).toBe(0);
  });

  it('past the backlog bound writes get a 503-class error with retryAfterMs, and a resync clears it', async () => {
    const alerts: string[] = [];
    const { pool, faults, members } = track(journaledPoolOf(['a', 'b'], { backlogLimit: { entries: 5, retryAfterMs: 1234 }, onResyncNeeded: (member) => alerts.push(member), onResyncCleared: (member) => alerts.push(`${member} cleared`) }));
    const scope = { userId: userId() };
    await pool.add([{ ...scope, memory: 'before' }]);
    await createReplicator({ pool, onError: () => {} }).drain();
    faults.a!.error = down;
    for (let index = 0; index < 5; index += 1) await pool.add([{ ...scope, memory: `w-${index}` }]);
    const refused = await pool.add([{ ...scope, memory: 'refused' }]).catch((caught: unknown) => caught);
    expect(ProviderUnavailableError.isInstance(refused) && refused.retryAfterMs).toBe(1234);
    expect(alerts).toEqual(['a']);
    expect(pool.statistics().members.find((member) => member.name === 'a')?.journalBacklog).toMatchObject({ entries: 5, needsResync: true });
    faults.a!.error = undefined;
    await new Promise((resolve) => setTimeout(resolve, 30)); // a's breaker cools down
    const progress: number[] = [];
    const report = await resyncMember(pool, 'a', { inFlightWindowMs: 0, onProgress: (step) => progress.push(step.copied + step.updated + step.unchanged) });
    expect(report).toMatchObject({ source: 'b', clearedEntries: 5 });
    expect(progress.at(-1)).toBe(6);
    expect((await textsOn(members.a!)).sort()).toEqual((await textsOn(members.b!)).sort());
    expect(pool.replication!.tracker.behind('a')).toBe(0);
    await pool.add([{ ...scope, memory: 'accepted again' }]);
    expect(alerts).toEqual(['a', 'a cleared']);
  });

  it('a replicator that dies holding a claim is replaced: another resumes after the lease', async () => {
    const { pool, journal, faults, members } = track(journaledPoolOf(['a', 'b']));
    faults.a!.error = down;
    for (let index = 0; index < 20; index += 1) await pool.add([{ userId: 'u', memory: `r-${index}` }]);
    faults.a!.error = undefined;
    // The "crashed" replicator claimed everything and never delivered.
    expect(await journal.claim({ pool: 'pool', member: 'a', owner: 'crashed', limit: 100, leaseMs: 50 })).toHaveLength(20);
    const replicator = createReplicator({ pool, batchSize: 7, idleMs: 10, onError: () => {} });
    expect(await journal.claim({ pool: 'pool', member: 'a', owner: 'another', limit: 100, leaseMs: 50 })).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 60));
    replicator.start();
    for (let waited = 0; waited < 200 && pool.replication!.tracker.behind('a') > 0; waited += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    await replicator.stop();
    expect((await textsOn(members.a!)).length).toBe(20);
    expect((await journal.backlog('pool')).find((figures) => figures.member === 'a')?.entries).toBe(0);
  });

  it('a down member does not hold back delivery to the others, and backs off on its own', async () => {
    const { pool, faults, members } = track(journaledPoolOf(['a', 'b', 'c']));
    faults.b!.error = down;
    faults.c!.error = down;
    for (let index = 0; index < 5; index += 1) await pool.add([{ userId: 'u', memory: `d-${index}` }]);
    faults.b!.error = undefined;
    const events: string[] = [];
    const replicator = createReplicator({ pool, idleMs: 5, backoffBaseMs: 20, onError: () => {} });
    replicator.onEvent((event) => events.push(`${event.type}:${'member' in event ? event.member : ''}`));
    replicator.start();
    for (let waited = 0; waited < 100 && pool.replication!.tracker.behind('b') > 0; waited += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    await replicator.stop();
    expect((await textsOn(members.b!)).length).toBe(5);
    expect((await textsOn(members.c!)).length).toBe(0);
    expect(events).toContain('delivery-failed:c');
    expect(faults.c!.calls).toBeLessThan(20);
  });

  it('a member back from an outage that opened its breaker is replayed at once, not after a grown backoff, starting with a one-entry trial', async () => {
    const { pool, faults, members } = track(journaledPoolOf(['a', 'b'], { breaker: { consecutiveFailures: 1, cooldownMs: 200, soloCooldownMs: 200 } }));
    faults.b!.error = down;
    for (let index = 0; index < 30; index += 1) await pool.add([{ userId: 'u', memory: `o-${index}` }]);
    const sizes: number[] = [];
    const replicator = createReplicator({ pool, idleMs: 5, backoffBaseMs: 1000, backoffMaxMs: 30_000, onError: () => {} });
    replicator.onEvent((event) => event.type === 'delivered' && sizes.push(event.entries));
    replicator.start();
    await new Promise((resolve) => setTimeout(resolve, 700)); // several cooldowns pass with b still down: its trials fail
    faults.b!.error = undefined;
    const healed = Date.now();
    for (let waited = 0; waited < 300 && pool.replication!.tracker.behind('b') > 0; waited += 1) await new Promise((resolve) => setTimeout(resolve, 5));
    const caughtUpAfterMs = Date.now() - healed;
    await replicator.stop();
    expect((await textsOn(members.b!)).length).toBe(30);
    // Within one breaker cooldown (200 ms) plus slack, not after the 1 s+ backoff the failed trials would have grown.
    expect(caughtUpAfterMs).toBeLessThan(600);
    expect(sizes[0]).toBe(1);
    expect(sizes.slice(1, 3)).toEqual([2, 4]);
  });

  it('reconciliation repairs drift between caught-up members: newest updatedAt wins, missing copies are made', async () => {
    const { pool, members } = track(journaledPoolOf(['a', 'b']));
    const scope = { userId: userId() };
    const [shared] = await pool.add([{ ...scope, memory: 'shared' }]);
    await createReplicator({ pool, onError: () => {} }).drain();
    await members.b!.add([{ ...scope, memory: 'only on b' }]);
    await members.a!.update(shared!.id, { memory: 'newer on a', updatedAt: new Date(Date.now() + 1000).toISOString() });
    const report = await reconcilePool(pool, { scopes: [scope] });
    expect(report.repairs.map((repair) => `${repair.member}:${repair.action}`).sort()).toEqual(['a:copied', 'b:updated']);
    expect((await textsOn(members.a!)).sort()).toEqual((await textsOn(members.b!)).sort());
    expect((await reconcilePool(pool, { scopes: [scope] })).repairs).toEqual([]);
  });

  it('scheduled reconciliation runs on its interval and reports its repairs', async () => {
    const { pool, members } = track(journaledPoolOf(['a', 'b']));
    await members.a!.add([{ userId: userId(), memory: 'drifted onto a' }]);
    const reports: number[] = [];
    const schedule = scheduleReconciliation(pool, { intervalMs: 5, onReport: (report) => reports.push(report.repairs.length) });
    for (let waited = 0; waited < 100 && reports.length < 2; waited += 1) await new Promise((resolve) => setTimeout(resolve, 5));
    schedule.dispose();
    expect(reports.slice(0, 2)).toEqual([1, 0]);
    expect(await textsOn(members.b!)).toEqual(['drifted onto a']);
  });
});
