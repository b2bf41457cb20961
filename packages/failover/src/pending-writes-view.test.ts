import { ProviderUnavailableError, scopeFilter } from '@memgate/core';
import { createHealthMonitor } from '@memgate/health';
import { afterEach, describe, expect, it } from 'vitest';
import type { FailoverPool } from './failover-pool.js';
import { down, journaledPoolOf, textsOn } from './journaled-pool.test-support.js';

const pools: FailoverPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.close()));
});

/**
 * Writes acknowledged on `a` alone (b refused them: quorum 1), then `a` dies before the replicator copied
 * them: `b` serves every read, and only the journal knows the writes.
 */
async function acknowledgedOnADeadBeforeB(write: (pool: FailoverPool) => Promise<void>) {
  const made = journaledPoolOf(['a', 'b'], { breaker: { consecutiveFailures: 1, cooldownMs: 60_000, soloCooldownMs: 60_000 } });
  pools.push(made.pool);
  made.faults.b!.error = down;
  await write(made.pool);
  made.faults.b!.error = undefined;
  made.pool.forceIn('b');
  made.faults.a!.error = down;
  return made;
}

const userId = (): string => `user-${Math.random().toString(36).slice(2)}`;

describe('read-your-writes for lists and searches, from a member that lags (write quorum 1)', () => {
  it('a listing from the lagging member shows the acknowledged adds and deletes it has not applied, in listing order with exact pages and totals', async () => {
    const scope = { userId: userId() };
    const ids: string[] = [];
    const { pool, members } = await acknowledgedOnADeadBeforeB(async (pool) => {
      // Two memories b holds already, then seven it misses, one updated and one deleted.
      for (let index = 0; index < 9; index += 1) {
        const [record] = await pool.add([{ ...scope, memory: `memory ${index}`, createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, index)).toISOString() }]);
        ids.push(record!.id);
      }
    });
    await members.b!.add([{ ...scope, id: ids[0]!, memory: 'memory 0', createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, 0)).toISOString() }]);
    expect((await textsOn(members.b!)).length).toBe(1);
    // a is down, so the update and delete are journaled and applied... on nobody yet: only deletes are accepted then.
    await pool.delete(ids[3]!);
    const pages = await Promise.all([1, 2, 3].map((page) => pool.list(scopeFilter(scope), { page, pageSize: 3 })));
    expect(pages.map((page) => page.items.map((record) => record.memory))).toEqual([
      ['memory 8', 'memory 7', 'memory 6'],
      ['memory 5', 'memory 4', 'memory 2'],
      ['memory 1', 'memory 0'],
    ]);
    expect(pages.map((page) => page.total)).toEqual([8, 8, 8]);
    expect((await textsOn(members.b!)).length).toBe(1); // the merge read b; it wrote nothing there
  });

  it('a search from the lagging member finds the acknowledged writes it has not applied, ranked first, within top_k and the filter', async () => {
    const alice = { userId: userId() };
    const bob = { userId: userId() };
    const { pool } = await acknowledgedOnADeadBeforeB(async (pool) => {
      await pool.add([{ ...alice, memory: 'I like foxes' }]);
      await pool.add([{ ...alice, memory: 'I like otters' }]);
      await pool.add([{ ...bob, memory: 'foxes are clever' }]);
    });
    const found = await pool.search({ query: 'foxes', filter: scopeFilter(alice), topK: 5 });
    expect(found.map((result) => result.memory)).toEqual(['I like foxes']);
    expect(found[0]!.score).toBeGreaterThan(0);
    const deleted = await pool.search({ query: 'otters', filter: scopeFilter(alice) });
    expect(deleted.map((result) => result.memory)).toEqual(['I like otters']);
    await pool.delete(deleted[0]!.id);
    expect(await pool.search({ query: 'otters', filter: scopeFilter(alice) })).toEqual([]);
    expect((await pool.search({ query: 'foxes otters', filter: scopeFilter(alice), topK: 1 })).length).toBe(1);
  });

  it('a listing from a member that misses more than a page of the largest size (1000) still shows every pending add, exactly', async () => {
    const scope = { userId: userId() };
    const { pool } = await acknowledgedOnADeadBeforeB(async (pool) => {
      const records = Array.from({ length: 1205 }, (_, index) => ({ ...scope, memory: `memory ${index}`, createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, index)).toISOString() }));
      for (let start = 0; start < records.length; start += 100) await pool.add(records.slice(start, start + 100));
    });
    const first = await pool.list(scopeFilter(scope), { page: 1, pageSize: 100 });
    expect(first.total).toBe(1205);
    expect(first.items.map((record) => record.memory)).toEqual(Array.from({ length: 100 }, (_, index) => `memory ${1204 - index}`));
    const last = await pool.list(scopeFilter(scope), { page: 13, pageSize: 100 });
    expect(last.items.map((record) => record.memory)).toEqual(['memory 4', 'memory 3', 'memory 2', 'memory 1', 'memory 0']);
  });

  it('a search from the lagging member ranks the closest pending match first, then the newest: the caller\'s latest write is within top_k', async () => {
    const scope = { userId: userId() };
    const { pool } = await acknowledgedOnADeadBeforeB(async (pool) => {
      // Twenty writes of one client that share most words (as agents' notes of one session do).
      for (let index = 0; index < 20; index += 1) await pool.add([{ ...scope, memory: `run-c0-b0-e${index}` }]);
    });
    const exact = await pool.search({ query: 'run-c0-b0-e19', filter: scopeFilter(scope), topK: 5 });
    expect(exact.map((result) => result.memory)[0]).toBe('run-c0-b0-e19');
    const loose = await pool.search({ query: 'session run', filter: scopeFilter(scope), topK: 3 });
    expect(loose.map((result) => result.memory)).toEqual(['run-c0-b0-e19', 'run-c0-b0-e18', 'run-c0-b0-e17']);
  });

  it('reads a member that misses nothing directly (no journal read)', async () => {
    const made = journaledPoolOf(['a', 'b']);
    pools.push(made.pool);
    const scope = { userId: userId() };
    await made.pool.add([{ ...scope, memory: 'plain' }]);
    const journal = made.journal;
    let journalReads = 0;
    const original = journal.pendingEntriesFor.bind(journal);
    journal.pendingEntriesFor = async (...args) => ((journalReads += 1), original(...args));
    expect((await made.pool.list(scopeFilter(scope), { page: 1, pageSize: 10 })).items.map((record) => record.memory)).toEqual(['plain']);
    expect(journalReads).toBe(0);
  });

  it('with every breaker open, a read is served by the least-bad member plus the journal rather than refused; a write gets a retryable 503 with Retry-After', async () => {
    const scope = { userId: userId() };
    const { pool, faults } = await acknowledgedOnADeadBeforeB(async (pool) => {
      await pool.add([{ ...scope, memory: 'acknowledged before the fault' }]);
    });
    // b fails one call and its breaker opens too (a's is open already): nothing is admissible.
    faults.b!.error = down;
    await pool.list(scopeFilter(scope), { page: 1, pageSize: 10 }).catch(() => undefined);
    faults.b!.error = undefined;
    expect(pool.statistics().members.map((member) => member.breaker.state)).toEqual(['open', 'open']);
    const listed = await pool.list(scopeFilter(scope), { page: 1, pageSize: 10 });
    expect(listed.items.map((record) => record.memory)).toEqual(['acknowledged before the fault']);
    const refused = await pool.add([{ ...scope, memory: 'no member admits it' }]).catch((error: unknown) => error);
    expect(ProviderUnavailableError.isInstance(refused) && refused.isRetryable && refused.retryAfterMs! > 0).toBe(true);
  });

  it('with every breaker open, a write goes to a member whose probes succeed (it answers; only its shortest open time holds it back) rather than a 503', async () => {
    const scope = { userId: userId() };
    const health = createHealthMonitor({ onError: () => {} });
    const made = journaledPoolOf(['a', 'b'], { health, breaker: { consecutiveFailures: 1, cooldownMs: 60_000, soloCooldownMs: 60_000 } });
    pools.push(made.pool);
    made.faults.a!.error = down;
    made.faults.b!.error = down;
    await made.pool.list(scopeFilter(scope), { page: 1, pageSize: 10 }).catch(() => undefined);
    expect(made.pool.statistics().members.map((member) => member.breaker.state)).toEqual(['open', 'open']);
    const refused = await made.pool.add([{ ...scope, memory: 'nobody answers' }]).catch((error: unknown) => error);
    expect(ProviderUnavailableError.isInstance(refused) && refused.isRetryable).toBe(true);
    // b is back and its probe says so; a is still down.
    made.faults.b!.error = undefined;
    for (const member of made.pool.statistics().members) expect(member.breaker.state).toBe('open');
    health.observe('b', { latencyMs: 1, source: 'probe' });
    health.observe('a', { latencyMs: 1, error: down(), source: 'probe' });
    const [written] = await made.pool.add([{ ...scope, memory: 'served by the member that answers' }]);
    expect((await textsOn(made.members.b!))).toContain('served by the member that answers');
    expect(await made.pool.get(written!.id)).toMatchObject({ memory: 'served by the member that answers' });
    expect(made.pool.statistics().members.map((member) => member.breaker.state)).toEqual(['open', 'open']);
    await health.close();
  });

  it('with readPanic fail-fast, a read with every breaker open is a retryable 503 with Retry-After', async () => {
    const made = journaledPoolOf(['a', 'b'], { readPanic: 'fail-fast', breaker: { consecutiveFailures: 1, cooldownMs: 60_000, soloCooldownMs: 60_000 } });
    pools.push(made.pool);
    made.faults.a!.error = down;
    made.faults.b!.error = down;
    await made.pool.list(scopeFilter({ userId: 'u' }), { page: 1, pageSize: 10 }).catch(() => undefined);
    const refused = await made.pool.list(scopeFilter({ userId: 'u' }), { page: 1, pageSize: 10 }).catch((error: unknown) => error);
    expect(ProviderUnavailableError.isInstance(refused) && refused.retryAfterMs! > 0 && refused.message).toContain('every member');
  });
});
