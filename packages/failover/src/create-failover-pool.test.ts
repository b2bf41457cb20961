import { AbortedError, AuthError, NotFoundError, ProviderTimeoutError, ProviderUnavailableError, RateLimitedError, scopeFilter, ValidationError, type MemoryProviderV1 } from '@memgate/core';
import { createHealthMonitor, createManualClock } from '@memgate/health';
import { createInMemoryMemoryProvider } from '@memgate/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createCircuitBreaker } from './circuit-breaker.js';
import { createFailoverPool, type FailoverPoolOptions } from './create-failover-pool.js';
import { priorityStrategy } from './priority-strategy.js';
import { createRetryBudget } from './retry-budget.js';
import { createRouter } from './router.js';
import type { FailoverPool } from './failover-pool.js';
import { faultyMembersOf, withFaults, type FaultSwitch } from './faulty-provider.test-support.js';
import type { RoutingDecision } from './routing-decision.js';

const unavailable = (): Error => new ProviderUnavailableError({ message: 'connection reset' });
const pools: FailoverPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.close()));
});

/** A pool over real in-memory providers, each behind a fault switch. */
function poolOf(names: string[], options: Partial<FailoverPoolOptions> = {}): { pool: FailoverPool; faults: Record<string, FaultSwitch>; members: Record<string, MemoryProviderV1> } {
  const { providers, faults, members } = faultyMembersOf(names);
  const pool = createFailoverPool({ name: 'pool', providers, onError: () => {}, ...options });
  pools.push(pool);
  return { pool, faults, members };
}
const scope = { userId: `user-${Math.random().toString(36).slice(2)}` };

describe('failover pool: fallbacks', () => {
  it('serves from the backup when the primary fails, within the same call, and says so', async () => {
    const { pool, faults } = poolOf(['primary', 'backup']);
    faults.primary!.error = unavailable;
    let decision: RoutingDecision | undefined;
    const [added] = await pool.add([{ ...scope, memory: 'likes tea' }], { onDecision: (value) => (decision = value), requestId: 'req-1' });
    expect(added!.memory).toBe('likes tea');
    expect(decision).toMatchObject({ pool: 'pool', requestId: 'req-1', operation: 'add', kind: 'write', chosen: 'backup', fallbacks: 1, outcome: 'success', order: ['primary', 'backup'] });
    expect(decision!.attempts.map((attempt) => [attempt.provider, attempt.outcome])).toEqual([['primary', 'failure'], ['backup', 'success']]);
    expect(decision!.overheadMs).toBeGreaterThanOrEqual(0);
    expect(await pool.decisions.list({ provider: 'primary' })).toEqual([decision]);
    expect(pool.health.snapshot('primary')!.consecutiveFailures).toBe(1);
  });

  it('gives a record its id before routing, so a retry elsewhere writes the same id', async () => {
    const { pool, faults, members } = poolOf(['primary', 'backup']);
    faults.primary!.error = unavailable;
    const [added] = await pool.add([{ ...scope, memory: 'one id' }]);
    expect(await members.backup!.get(added!.id)).toMatchObject({ id: added!.id });
  });

  it('does not retry caller errors and does not count them against the provider', async () => {
    const { pool, faults } = poolOf(['primary', 'backup']);
    await expect(pool.update('missing-id', { memory: 'x' })).rejects.toSatisfy(NotFoundError.isInstance);
    await expect(pool.add([{ memory: 'no scope' }])).rejects.toSatisfy(ValidationError.isInstance);
    expect([faults.primary!.calls, faults.backup!.calls]).toEqual([2, 0]);
    expect(pool.statistics().members[0]).toMatchObject({ failures: 0, breaker: { state: 'closed', consecutiveFailures: 0 } });
  });

  it('does not fall back on rejected credentials: it reports a configuration fault instead', async () => {
    const { pool, faults } = poolOf(['primary', 'backup']);
    faults.primary!.error = () => new AuthError({ message: 'invalid API key' });
    await expect(pool.get('x')).rejects.toSatisfy(AuthError.isInstance);
    expect(faults.backup!.calls).toBe(0);
    expect(pool.health.snapshot('primary')).toMatchObject({ configFault: { message: 'invalid API key' }, consecutiveFailures: 0 });
  });

  it('times out a hanging attempt and moves on within the request deadline', async () => {
    const { pool, faults } = poolOf(['primary', 'backup'], { retry: { attemptTimeoutMs: 50 } });
    faults.primary!.hang = true;
    const started = Date.now();
    let decision: RoutingDecision | undefined;
    expect(await pool.get('nothing', { onDecision: (value) => (decision = value) })).toBeNull();
    expect(Date.now() - started).toBeLessThan(50 + 100);
    expect(decision!.attempts.map((attempt) => attempt.outcome)).toEqual(['failure', 'success']);
    expect(decision!.attempts[0]!.error!.name).toBe('Memory_ProviderTimeoutError');
  });

  it('stops at the request deadline with ProviderTimeoutError', async () => {
    const { pool, faults } = poolOf(['primary', 'backup'], { retry: { attemptTimeoutMs: 1000 } });
    faults.primary!.hang = true;
    faults.backup!.hang = true;
    await expect(pool.get('x', { deadline: Date.now() + 40 })).rejects.toSatisfy(ProviderTimeoutError.isInstance);
    expect(faults.backup!.calls).toBe(0);
  });

  it('stops when the caller aborts and tries nothing more', async () => {
    const { pool, faults } = poolOf(['primary', 'backup']);
    faults.primary!.hang = true;
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    await expect(pool.get('x', { signal: controller.signal })).rejects.toSatisfy(AbortedError.isInstance);
    expect(faults.backup!.calls).toBe(0);
  });

  it('counts every attempt against one per-request limit: a fallback does not restart it', async () => {
    const { pool, faults } = poolOf(['a', 'b', 'c', 'd', 'e'], { retry: { maxAttempts: 3 } });
    for (const fault of Object.values(faults)) fault.error = unavailable;
    let decision: RoutingDecision | undefined;
    await expect(pool.get('x', { onDecision: (value) => (decision = value) })).rejects.toSatisfy(ProviderUnavailableError.isInstance);
    expect(Object.values(faults).map((fault) => fault.calls)).toEqual([1, 1, 1, 0, 0]);
    expect(decision).toMatchObject({ outcome: 'failure', chosen: null, fallbacks: 2 });
  });

  it('keeps an outage from becoming a retry storm: the global budget caps concurrent retries', async () => {
    const { pool, faults } = poolOf(['a', 'b', 'c'], { retry: { budget: { ratio: 0.2, minConcurrent: 3 } }, breaker: { consecutiveFailures: 1000, failureRate: false } });
    for (const fault of Object.values(faults)) {
      fault.error = unavailable;
      fault.delayMs = 20;
    }
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => pool.get('x')));
    const attempts = Object.values(faults).reduce((sum, fault) => sum + fault.calls, 0);
    expect(results.every((result) => result.status === 'rejected')).toBe(true);
    // Without a budget: 150 attempts. With it: 50 first tries, 50 first fallbacks to another member (free,
    // one per request), and second fallbacks only within the budget (20 % of 50 in flight).
    expect(attempts).toBeLessThanOrEqual(50 + 50 + 10 + 3);
    expect(faults.c!.calls).toBeLessThanOrEqual(10 + 3);
    expect(pool.statistics().retriesRejectedByBudget).toBeGreaterThan(0);
  });

  it('never refuses a first fallback to a healthy member: 4 requests stuck on a timing-out primary all succeed on the backup', async () => {
    const { pool, faults } = poolOf(['primary', 'backup'], { retry: { attemptTimeoutMs: 50, budget: { ratio: 0.2, minConcurrent: 3 } } });
    faults.primary!.hang = true;
    faults.backup!.delayMs = 30; // the fallbacks overlap, as they do against a real backend
    const decisions: RoutingDecision[] = [];
    const results = await Promise.all(Array.from({ length: 4 }, () => pool.get('x', { onDecision: (decision) => decisions.push(decision) })));
    expect(results).toEqual([null, null, null, null]);
    expect(decisions.map((decision) => [decision.chosen, decision.fallbacks])).toEqual(Array(4).fill(['backup', 1]));
    expect(faults.backup!.calls).toBe(4);
    expect(pool.statistics().retriesRejectedByBudget).toBe(0);
  });

  it('still budgets retries of the same member: a lone failing member gets no second pass once the budget is spent', async () => {
    const { pool, faults } = poolOf(['only'], { retry: { maxAttempts: 2, budget: { ratio: 0.2, minConcurrent: 1 } }, breaker: { consecutiveFailures: 1000, failureRate: false } });
    faults.only!.error = unavailable;
    faults.only!.delayMs = 20;
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => pool.get('x')));
    expect(results.every((result) => result.status === 'rejected')).toBe(true);
    expect(faults.only!.calls).toBeLessThan(20);
    expect(pool.statistics().retriesRejectedByBudget).toBeGreaterThan(0);
  });

  it('retries a lone member after a short backoff on a second pass', async () => {
    const { pool, faults } = poolOf(['only'], { retry: { maxAttempts: 2 } });
    let failures = 1;
    faults.only!.error = () => (failures-- > 0 ? unavailable() : undefined);
    let decision: RoutingDecision | undefined;
    expect(await pool.get('x', { onDecision: (value) => (decision = value) })).toBeNull();
    expect(decision!.attempts.map((attempt) => [attempt.provider, attempt.outcome])).toEqual([['only', 'failure'], ['only', 'success']]);
  });
});

describe('failover pool: breakers', () => {
  it('opens the primary’s breaker after its trip count and stops calling it', async () => {
    const { pool, faults } = poolOf(['primary', 'backup'], { breaker: { consecutiveFailures: 3 } });
    faults.primary!.error = unavailable;
    for (let index = 0; index < 10; index += 1) expect(await pool.get('x')).toBeNull();
    expect(faults.primary!.calls).toBe(3);
    expect(pool.statistics().members[0]!.breaker).toMatchObject({ state: 'open', lastReason: 'consecutive-failures' });
    const [last] = await pool.decisions.list({ limit: 1 });
    expect(last).toMatchObject({ chosen: 'backup', fallbacks: 0, skipped: [] });
  });

  it('lets one half-open trial through while concurrent requests go to the backup, then closes', async () => {
    let now = 1_000_000;
    const { pool, faults } = poolOf(['primary', 'backup'], { breaker: { consecutiveFailures: 1, cooldownMs: 60_000, now: () => now } });
    faults.primary!.error = unavailable;
    await pool.get('x');
    faults.primary!.error = undefined;
    faults.primary!.delayMs = 30;
    now += 60_000;
    const decisions: RoutingDecision[] = [];
    await Promise.all(Array.from({ length: 5 }, () => pool.get('x', { onDecision: (decision) => decisions.push(decision) })));
    expect(faults.primary!.calls).toBe(2); // the trip, then exactly one trial
    expect(decisions.filter((decision) => decision.chosen === 'primary').map((decision) => decision.attempts[0]!.trial)).toEqual([true]);
    expect(decisions.filter((decision) => decision.skipped.some((skip) => skip.reason === 'half-open-busy'))).toHaveLength(4);
    expect(pool.statistics().members[0]!.breaker.state).toBe('closed');
  });

  it('gives a recovering member its half-open trial even while the monitor still calls it unhealthy', async () => {
    let now = 1_000_000;
    const { pool, faults } = poolOf(['primary', 'backup'], { breaker: { consecutiveFailures: 3, cooldownMs: 60_000, now: () => now } });
    faults.primary!.error = unavailable;
    for (let index = 0; index < 5; index += 1) await pool.get('x');
    expect([pool.health.snapshot('primary')!.status, pool.statistics().members[0]!.breaker.state]).toEqual(['unhealthy', 'open']);
    faults.primary!.error = undefined;
    now += 60_000;
    let decision: RoutingDecision | undefined;
    await pool.get('x', { onDecision: (value) => (decision = value) });
    expect(decision).toMatchObject({ chosen: 'primary', attempts: [{ provider: 'primary', trial: true, outcome: 'success' }] });
    expect([pool.health.snapshot('primary')!.up, pool.statistics().members[0]!.breaker.state]).toEqual([true, 'closed']);
  });

  it('fails fast with a retry-after hint when every breaker is open', async () => {
    const { pool, faults } = poolOf(['primary', 'backup'], { breaker: { consecutiveFailures: 1, cooldownMs: 30_000 } });
    faults.primary!.error = unavailable;
    faults.backup!.error = unavailable;
    await expect(pool.get('x')).rejects.toSatisfy(ProviderUnavailableError.isInstance);
    const error = await pool.get('x').catch((caught: unknown) => caught);
    expect(ProviderUnavailableError.isInstance(error) && error.retryAfterMs).toBeGreaterThan(29_000);
    expect(String((error as Error).message)).toContain('every member');
  });

  it('panics to the least-bad member when configured to', async () => {
    const { pool, faults } = poolOf(['primary', 'backup'], { breaker: { consecutiveFailures: 1 }, panic: 'least-bad' });
    faults.primary!.error = unavailable;
    faults.backup!.error = unavailable;
    await expect(pool.get('x')).rejects.toSatisfy(ProviderUnavailableError.isInstance);
    faults.backup!.error = undefined;
    // The shared monitor has seen more of the primary's failures: the backup is the least bad.
    for (let index = 0; index < 3; index += 1) pool.health.observe('primary', { error: unavailable() });
    let decision: RoutingDecision | undefined;
    expect(await pool.get('x', { onDecision: (value) => (decision = value) })).toBeNull();
    expect(decision).toMatchObject({ panic: true, chosen: 'backup' });
    expect(pool.statistics().panics).toBe(1);
  });

  it('does not lock a lone member out for minutes over a blip', async () => {
    const { pool, faults } = poolOf(['only'], { breaker: { consecutiveFailures: 1, soloCooldownMs: 5000 }, retry: { maxAttempts: 1 } });
    faults.only!.error = unavailable;
    await expect(pool.get('x')).rejects.toSatisfy(ProviderUnavailableError.isInstance);
    expect(pool.statistics().members[0]!.breaker.state).toBe('open');
    const error = await pool.get('x').catch((caught: unknown) => caught);
    expect(ProviderUnavailableError.isInstance(error) && error.retryAfterMs).toBeLessThanOrEqual(5000);
  });

  it('sends a rate-limited member nothing until its Retry-After has passed', async () => {
    const { pool, faults } = poolOf(['primary', 'backup']);
    faults.primary!.error = () => new RateLimitedError({ message: '429', retryAfterMs: 60_000 });
    expect(await pool.get('x')).toBeNull();
    expect(await pool.get('x')).toBeNull();
    expect(faults.primary!.calls).toBe(1);
    expect(pool.statistics().members[0]!.breaker).toMatchObject({ state: 'open', lastReason: 'rate-limited' });
  });

  it('reports breaker transitions', async () => {
    const { pool, faults } = poolOf(['primary', 'backup'], { breaker: { consecutiveFailures: 1 } });
    const seen: string[] = [];
    pool.onBreakerStateChange((member, change) => seen.push(`${member}:${change.to}`));
    faults.primary!.error = unavailable;
    await pool.get('x');
    expect(seen).toEqual(['primary:open']);
  });
});

describe('failover pool: reflexes over in-memory members', () => {
  it('moves traffic away from a slow member under the performance and hybrid strategies', async () => {
    for (const strategy of ['performance', 'hybrid'] as const) {
      const health = createHealthMonitor({ snapshotMaxAgeMs: 0, onError: () => {} });
      const { pool, faults } = poolOf(['primary', 'backup'], { strategy, health });
      faults.primary!.delayMs = 25;
      const served: (string | null)[] = [];
      for (let index = 0; index < 30; index += 1) await pool.get('x', { onDecision: (decision) => served.push(decision.chosen) });
      // both still send every tenth request to the other member, to measure it again
      const onBackup = served.slice(-10).filter((name) => name === 'backup').length;
      expect({ strategy, onBackup }).toEqual({ strategy, onBackup: 9 });
      expect(served).toContain('primary'); // it was measured, not avoided blindly
      await health.close();
    }
  });

  it('performance leaves a serving member that slows down, even when the other one looked slow at its cold start', async () => {
    const clock = createManualClock(Date.now());
    const health = createHealthMonitor({ clock, snapshotMaxAgeMs: 0, onError: () => {} });
    const { pool, faults } = poolOf(['primary', 'backup'], { strategy: 'performance', health });
    const served: (string | null)[] = [];
    const serve = async (count: number): Promise<void> => {
      for (let index = 0; index < count; index += 1) await pool.get('x', { onDecision: (decision) => served.push(decision.chosen) });
    };
    faults.primary!.delayMs = 60; // a cold start: the primary's first figures are slow
    await serve(12);
    expect(served.slice(-2)).toEqual(['backup', 'backup']);
    faults.primary!.delayMs = 0;
    faults.backup!.delayMs = 30; // now the serving member slows down, below the primary's old figure
    await serve(8);
    expect(served.slice(-8)).toContain('primary'); // explored again, not written off
    clock.set(clock.now() + 61_000); // one window later the primary's cold-start figures are gone
    served.length = 0;
    await serve(20);
    // Both members are re-measured (their last-minute windows emptied), then the fast primary keeps the
    // traffic; the backup gets only its tenth-request explorations and the last of its measuring samples.
    expect(served.slice(-10).filter((name) => name === 'primary').length).toBeGreaterThanOrEqual(8);
    expect(served.slice(-5)).toEqual(['primary', 'primary', 'primary', 'primary', 'backup']);
    await health.close();
  });

  it('rides out a flapping member: no client errors, and its breaker never reopens faster than the cooldown', async () => {
    const start = 1_000_000;
    let now = start;
    const { pool, faults } = poolOf(['primary', 'backup'], { breaker: { consecutiveFailures: 3, cooldownMs: 10_000, now: () => now } });
    // Down 2 s, up 2 s, for 30 s of breaker time.
    faults.primary!.error = () => (Math.floor((now - start) / 2000) % 2 === 0 ? unavailable() : undefined);
    const opens: number[] = [];
    pool.onBreakerStateChange((member, change) => {
      if (member === 'primary' && change.to === 'open') opens.push(change.at);
    });
    for (let step = 0; step < 300; step += 1) {
      await pool.get('x');
      now += 100;
    }
    expect(pool.statistics()).toMatchObject({ requests: 300, failures: 0 });
    expect(opens.length).toBeGreaterThanOrEqual(2);
    for (let index = 1; index < opens.length; index += 1) expect(opens[index]! - opens[index - 1]!).toBeGreaterThanOrEqual(10_000);
  });
});

describe('failover pool: controls', () => {
  it('forces a member out and back in', async () => {
    const { pool, faults } = poolOf(['primary', 'backup']);
    pool.forceOut('primary');
    await pool.get('x');
    expect([faults.primary!.calls, pool.statistics().members[0]!.adminState]).toEqual([0, 'forced-out']);
    pool.forceIn('primary');
    await pool.get('x');
    expect(faults.primary!.calls).toBe(1);
    expect(() => pool.forceOut('nobody')).toThrow(expect.objectContaining({ name: 'Memory_NotFoundError' }));
  });

  it('drains a member: no new requests, resolves once in-flight calls end', async () => {
    const { pool, faults } = poolOf(['primary', 'backup']);
    faults.primary!.delayMs = 40;
    const inFlight = pool.get('x');
    await new Promise((resolve) => setTimeout(resolve, 5));
    let drained = false;
    const draining = pool.drain('primary').then(() => (drained = true));
    await pool.get('x');
    expect([faults.primary!.calls, drained]).toEqual([1, false]);
    await inFlight;
    await draining;
    expect(drained).toBe(true);
  });

  it('switches strategy at run time (round-robin alternates members)', async () => {
    const { pool, faults } = poolOf(['primary', 'backup']);
    pool.setStrategy('round-robin');
    for (let index = 0; index < 4; index += 1) await pool.get('x');
    expect([faults.primary!.calls, faults.backup!.calls, pool.strategyName]).toEqual([2, 2, 'round-robin']);
    expect(() => pool.setStrategy('random' as never)).toThrow(expect.objectContaining({ field: 'strategy' }));
  });

  it('applies the member filter per kind, so reads can avoid a member writes still use', async () => {
    const { pool, faults } = poolOf(['primary', 'backup'], { memberFilter: (member, { kind }) => !(kind === 'read' && member.name === 'primary') });
    await pool.add([{ ...scope, memory: 'written to primary' }]);
    await pool.list(scopeFilter(scope), { page: 1, pageSize: 10 });
    expect([faults.primary!.calls, faults.backup!.calls]).toEqual([1, 1]);
  });

  it('runs an operation on one named member through its breaker, without falling back (for a replicator)', async () => {
    const members = ['primary', 'backup'].map((name) => withFaults(createInMemoryMemoryProvider({ name })));
    const health = createHealthMonitor({ onError: () => {} });
    const decisions: RoutingDecision[] = [];
    const router = createRouter({
      pool: 'p',
      members: members.map(({ provider }, index) => ({ name: provider.name, provider, priority: index, weight: 1, breaker: createCircuitBreaker(), adminState: 'active', inFlight: 0, counters: { attempts: 0, successes: 0, failures: 0, served: 0 }, idleWaiters: [] })),
      strategy: () => ({ name: 'priority', order: priorityStrategy }),
      health,
      budget: createRetryBudget(),
      maxAttempts: 1,
      attemptTimeoutMs: 1000,
      requestTimeoutMs: 1000,
      backoffBaseMs: 1,
      backoffMaxMs: 1,
      panic: 'fail-fast',
      record: (decision) => decisions.push(decision),
    });
    await router.executeOn('backup', 'write', 'add', (provider, options) => provider.add([{ ...scope, memory: 'replicated' }], options));
    expect([members[0]!.faults.calls, members[1]!.faults.calls, decisions[0]!.chosen]).toEqual([0, 1, 'backup']);
    members[1]!.faults.error = unavailable;
    await expect(router.executeOn('backup', 'read', 'get', (provider, options) => provider.get('x', options))).rejects.toSatisfy(ProviderUnavailableError.isInstance);
    expect(members[0]!.faults.calls).toBe(0);
    await expect(router.executeOn('nobody', 'read', 'get', (provider, options) => provider.get('x', options))).rejects.toThrow(/no member/);
    await health.close();
  });

  it('fails with a clear error when no member can serve', async () => {
    const { pool } = poolOf(['primary']);
    pool.forceOut('primary');
    await expect(pool.get('x')).rejects.toThrow(/no member/);
  });

  it('probes every member on the pool’s monitor when asked to', async () => {
    const { pool, faults } = poolOf(['primary', 'backup'], { probeIntervalMs: 60_000 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect([faults.primary!.calls, faults.backup!.calls]).toEqual([1, 1]);
    expect(pool.health.snapshot('backup')!.lastSuccessAt).not.toBeNull();
  });

  it('counts requests, fallbacks and per-member outcomes', async () => {
    const { pool, faults } = poolOf(['primary', 'backup'], { breaker: { consecutiveFailures: 100 } });
    faults.primary!.error = unavailable;
    await pool.get('x');
    await pool.get('x');
    expect(pool.statistics()).toMatchObject({ requests: 2, successes: 2, failures: 0, requestsWithFallback: 2, fallbacks: 2, members: [{ name: 'primary', attempts: 2, failures: 2, served: 0 }, { name: 'backup', attempts: 2, successes: 2, served: 2 }] });
  });

  it('declares only the capabilities every member has', () => {
    const a = createInMemoryMemoryProvider({ name: 'a' });
    const limited: MemoryProviderV1 = { ...createInMemoryMemoryProvider({ name: 'b' }), capabilities: { ...a.capabilities, history: false } };
    const pool = createFailoverPool({ name: 'p', providers: [{ provider: a }, { provider: limited }], onError: () => {} });
    pools.push(pool);
    expect(pool.capabilities.history).toBe(false);
    expect(pool.capabilities.metadataFilters).toBe(a.capabilities.metadataFilters);
  });

  it('rejects bad options with the offending field named', () => {
    const a = createInMemoryMemoryProvider({ name: 'a' });
    expect(() => createFailoverPool({ name: 'p', providers: [] })).toThrow(expect.objectContaining({ field: 'providers' }));
    expect(() => createFailoverPool({ name: 'p', providers: [{ provider: a }, { provider: a }] })).toThrow(expect.objectContaining({ field: 'providers[1].provider.name' }));
    expect(() => createFailoverPool({ name: 'p', providers: [{ provider: a, weight: 0 }] })).toThrow(expect.objectContaining({ field: 'providers[0].weight' }));
    expect(() => createFailoverPool({ name: 'p', providers: [{ provider: a }], retry: { maxAttempts: 0 } })).toThrow(expect.objectContaining({ field: 'retry.maxAttempts' }));
    expect(() => createFailoverPool({ name: 'p', providers: [{ provider: a }], panic: 'maybe' as never })).toThrow(expect.objectContaining({ field: 'panic' }));
  });
});
