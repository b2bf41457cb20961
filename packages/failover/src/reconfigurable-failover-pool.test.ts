import { parseMemoryFilter, type MemoryProviderV1 } from '@memgate/core';
import { createHealthMonitor } from '@memgate/health';
import { createInMemoryMemoryProvider } from '@memgate/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createInMemoryDecisionHistoryStore } from './decision-history-store.js';
import { createInMemoryWriteJournal } from './in-memory-write-journal.js';
import { createReconfigurableFailoverPool, type ReconfigurableFailoverPool } from './reconfigurable-failover-pool.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function setup() {
  const journal = createInMemoryWriteJournal();
  const appended: number[] = [];
  const append = journal.append.bind(journal);
  journal.append = async (...args) => ((appended[0] = (appended[0] ?? 0) + args[0].length), append(...args));
  const health = createHealthMonitor({ onError: () => undefined });
  const resynced: string[] = [];
  const pool = createReconfigurableFailoverPool({ name: 'pool', health, decisions: createInMemoryDecisionHistoryStore(), journal, onMemberResynced: (report) => resynced.push(`${report.member}<-${report.source}`), onError: () => undefined });
  cleanups.push(async () => {
    await pool.close();
    await health.close();
  });
  return { pool, appended, resynced };
}

const scope = parseMemoryFilter({ user_id: 'u1' });
const texts = async (provider: MemoryProviderV1 | ReconfigurableFailoverPool) => (await provider.list(scope, { page: 1, pageSize: 100 })).items.map((record) => record.memory).sort();
async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  for (let waited = 0; !(await check()); waited += 1) {
    if (waited > 250) throw new Error('not within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('createReconfigurableFailoverPool', () => {
  it('journals nothing with one member; a member added later is resynced from the first, read from only then, and journaled from then on', async () => {
    const { pool, appended, resynced } = setup();
    const a = createInMemoryMemoryProvider({ name: 'a' });
    const b = createInMemoryMemoryProvider({ name: 'b' });
    await pool.reconfigure([{ provider: a, priority: 1 }]);
    for (let index = 0; index < 3; index += 1) await pool.add([{ userId: 'u1', memory: `before-${index}` }]);
    expect(appended).toEqual([]);
    expect(pool.replicator()).toBeUndefined();

    await pool.reconfigure([{ provider: a, priority: 1 }, { provider: b, priority: 0 }]);
    expect((await pool.list(scope, { page: 1, pageSize: 10 })).total).toBe(3); // not from b, which is preferred but empty
    await until(() => resynced.length === 1);
    expect(resynced).toEqual(['b<-a']);
    expect(await texts(b)).toEqual(['before-0', 'before-1', 'before-2']);
    await pool.add([{ userId: 'u1', memory: 'after' }]);
    expect(appended).toEqual([1]);
    await until(async () => (await texts(a)).includes('after'));
  });

  it('keeps breaker states, forced-out members and the strategy across a reconfiguration, and finishes calls in flight on the pool they started on', async () => {
    const { pool } = setup();
    const a = createInMemoryMemoryProvider({ name: 'a' });
    const b = createInMemoryMemoryProvider({ name: 'b' });
    await pool.reconfigure([{ provider: a }, { provider: b }]);
    pool.setStrategy('round-robin');
    pool.forceOut('a');
    const first = pool.current();
    const inFlight = pool.list(scope, { page: 1, pageSize: 10 });
    await pool.reconfigure([{ provider: a }, { provider: b }, { provider: createInMemoryMemoryProvider({ name: 'c' }) }]);
    expect(pool.current()).not.toBe(first);
    await expect(inFlight).resolves.toMatchObject({ total: 0 });
    expect(pool.strategyName).toBe('round-robin');
    expect(pool.operatorStates().get('a')).toBe('forced-out');
    expect(pool.statistics().members.find((member) => member.name === 'a')).toMatchObject({ adminState: 'forced-out', breaker: { state: 'isolated' } });
  });

  it('refuses every call, not retryably, while it has no members', async () => {
    const { pool } = setup();
    await expect(pool.list(scope, { page: 1, pageSize: 10 })).rejects.toMatchObject({ isRetryable: false });
  });
});
