import { matchAllFilter, scopeFilter } from '@memgate/core';
import { createHealthMonitor } from '@memgate/health';
import { afterEach, describe, expect, it } from 'vitest';
import { createFailoverPool } from './create-failover-pool.js';
import type { FailoverPool } from './failover-pool.js';
import type { FailoverPoolOptions } from './failover-pool-options.js';
import { faultyMembersOf } from './faulty-provider.test-support.js';
import type { RoutingDecision } from './routing-decision.js';

const pools: FailoverPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.close()));
});

function poolOf(options: Partial<FailoverPoolOptions> = {}) {
  const { providers, faults, members } = faultyMembersOf(['primary', 'backup']);
  const decisions: RoutingDecision[] = [];
  const pool = createFailoverPool({ name: 'pool', providers, health: createHealthMonitor({ onError: () => {} }), retry: { attemptTimeoutMs: 5000 }, onError: () => {}, ...options });
  pool.onDecision((decision) => decisions.push(decision));
  pools.push(pool);
  return { pool, faults, members, decisions };
}

describe('router: hedged reads', () => {
  it('answers a read from the next member after the hedge delay when the first hangs (a blackhole), not after the 5 s attempt timeout', async () => {
    const { pool, faults, decisions } = poolOf();
    await pool.add([{ userId: 'u', memory: 'on both' }]);
    await pool.list(matchAllFilter, { page: 1, pageSize: 1 }); // a latency sample for the primary
    faults.primary!.hang = true;
    const started = performance.now();
    const listed = await pool.list(scopeFilter({ userId: 'u' }), { page: 1, pageSize: 10 });
    const tookMs = performance.now() - started;
    // The add went to the primary only (no journal here); the backup answers with what it holds.
    expect(listed.total).toBe(0);
    expect(tookMs).toBeGreaterThanOrEqual(100);
    expect(tookMs).toBeLessThan(1000);
    expect(decisions.at(-1)).toMatchObject({ chosen: 'backup', outcome: 'success' });
    expect(decisions.at(-1)!.attempts.map((attempt) => attempt.provider)).toEqual(['backup']); // the primary's attempt is still running
  });

  it('hedges every one of many concurrent reads on a hanging primary: a first hedge draws no retry-budget token', async () => {
    const { pool, faults, decisions } = poolOf({ retry: { attemptTimeoutMs: 5000, hedgeReadsAfterMs: 50 } });
    faults.primary!.hang = true;
    faults.backup!.delayMs = 200; // the hedges overlap, as they do on a real network
    const started = performance.now();
    await Promise.all(Array.from({ length: 8 }, () => pool.list(matchAllFilter, { page: 1, pageSize: 1 })));
    // The budget's floor is 3 retries in flight: without the free first hedge, five reads would wait 5 s.
    expect(performance.now() - started).toBeLessThan(1000);
    expect(decisions.slice(-8).map((decision) => decision.chosen)).toEqual(Array(8).fill('backup'));
  });

  it('keeps the first answer when it comes before the delay, and takes the first success of the two when both run', async () => {
    const { pool, faults, decisions } = poolOf({ retry: { attemptTimeoutMs: 5000, hedgeReadsAfterMs: 50 } });
    await pool.list(matchAllFilter, { page: 1, pageSize: 1 });
    expect(decisions.at(-1)!.attempts.map((attempt) => attempt.provider)).toEqual(['primary']);
    faults.primary!.delayMs = 150;
    faults.backup!.delayMs = 300;
    const started = performance.now();
    await pool.list(matchAllFilter, { page: 1, pageSize: 1 });
    expect(performance.now() - started).toBeLessThan(290);
    expect(decisions.at(-1)).toMatchObject({ chosen: 'primary' });
  });

  it('waits out the attempt timeout with hedging off, and never hedges a write', async () => {
    const { pool, faults, decisions } = poolOf({ retry: { attemptTimeoutMs: 400, hedgeReadsAfterMs: false } });
    faults.primary!.hang = true;
    const started = performance.now();
    await pool.list(matchAllFilter, { page: 1, pageSize: 1 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(390); // waited out the attempt timeout
    expect(decisions.at(-1)!.attempts.map((attempt) => `${attempt.provider}:${attempt.outcome}`)).toEqual(['primary:failure', 'backup:success']);
    const hedging = poolOf({ retry: { attemptTimeoutMs: 400, hedgeReadsAfterMs: 50 } });
    hedging.faults.primary!.hang = true;
    const writeStarted = performance.now();
    await hedging.pool.add([{ userId: 'u', memory: 'a write waits its attempt out' }]);
    expect(performance.now() - writeStarted).toBeGreaterThanOrEqual(390);
  });

  it('rejects a hedge delay that is not a positive number, naming the field', () => {
    expect(() => poolOf({ retry: { hedgeReadsAfterMs: 0 } })).toThrow(/retry\.hedgeReadsAfterMs|hedgeReadsAfterMs/);
  });
});
