import { AuthError, ProviderUnavailableError, scopeFilter } from '@memgate/core';
import { createHealthMonitor, type HealthMonitor } from '@memgate/health';
import { createInMemoryMemoryProvider } from '@memgate/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createCircuitBreaker } from './circuit-breaker.js';
import { createFailoverPool } from './create-failover-pool.js';
import type { FailoverPool } from './failover-pool.js';
import { faultyMembersOf, withFaults, type FaultSwitch } from './faulty-provider.test-support.js';
import type { PoolMember } from './pool-member.js';
import { priorityStrategy } from './priority-strategy.js';
import { createRetryBudget, type RetryBudget } from './retry-budget.js';
import { createRouter, type Router } from './router.js';
import type { RoutingDecision } from './routing-decision.js';

const unavailable = (): Error => new ProviderUnavailableError({ message: 'connection refused' });
const scope = { userId: `user-${Math.random().toString(36).slice(2)}` };

interface MemberSpec {
  readonly name: string;
  readonly retryAttempts?: number;
}

const monitors: HealthMonitor[] = [];
const pools: FailoverPool[] = [];
afterEach(async () => {
  await Promise.all([...monitors.splice(0).map((monitor) => monitor.close()), ...pools.splice(0).map((pool) => pool.close())]);
});

/** A router over real in-memory providers behind fault switches, in priority order, each with its own `retryAttempts`. */
function routerOf(specs: readonly MemberSpec[], settings: { maxAttempts: number; attemptTimeoutMs?: number; budget?: RetryBudget }): { router: Router; faults: Record<string, FaultSwitch>; decisions: RoutingDecision[] } {
  const faults: Record<string, FaultSwitch> = {};
  const members: PoolMember[] = specs.map((spec, index) => {
    const { provider, faults: switches } = withFaults(createInMemoryMemoryProvider({ name: spec.name }));
    faults[spec.name] = switches;
    // Breakers that never open here: this file is about retries, not ejection.
    const breaker = createCircuitBreaker({ consecutiveFailures: 1000, failureRate: false });
    return { name: spec.name, provider, priority: index, weight: 1, ...(spec.retryAttempts === undefined ? {} : { retryAttempts: spec.retryAttempts }), breaker, adminState: 'active', inFlight: 0, counters: { attempts: 0, successes: 0, failures: 0, served: 0 }, idleWaiters: [] };
  });
  const health = createHealthMonitor({ onError: () => {} });
  monitors.push(health);
  const decisions: RoutingDecision[] = [];
  const router = createRouter({
    pool: 'pool',
    members,
    strategy: () => ({ name: 'priority', order: priorityStrategy }),
    health,
    budget: settings.budget ?? createRetryBudget(),
    maxAttempts: settings.maxAttempts,
    attemptTimeoutMs: settings.attemptTimeoutMs ?? 1000,
    requestTimeoutMs: 5000,
    backoffBaseMs: 1,
    backoffMaxMs: 2,
    panic: 'fail-fast',
    record: (decision) => decisions.push(decision),
  });
  return { router, faults, decisions };
}

const search = (router: Router): Promise<unknown> => router.execute('read', 'search', (provider, options) => provider.search({ query: 'tea', filter: scopeFilter(scope) }, options));
const tried = (decision: RoutingDecision | undefined): string[] => decision?.attempts.map((attempt) => attempt.provider) ?? [];
const limited = (decision: RoutingDecision | undefined): string[] => decision?.skipped.filter((skip) => skip.reason === 'retry-limit').map((skip) => skip.provider) ?? [];

/** Fails the first `failures` calls that reach it, then lets calls through. */
const failFirst = (failures: number): (() => Error | undefined) => {
  let left = failures;
  return () => (left-- > 0 ? unavailable() : undefined);
};

describe('router: a member’s own retryAttempts', () => {
  it('0: a failing member is tried once and the request fails over at once, even with attempts to spare', async () => {
    const { router, faults, decisions } = routerOf([{ name: 'primary', retryAttempts: 0 }], { maxAttempts: 5 });
    faults.primary!.error = unavailable;
    await expect(search(router)).rejects.toSatisfy(ProviderUnavailableError.isInstance);
    expect(faults.primary!.calls).toBe(1);
    expect(tried(decisions[0])).toEqual(['primary']);
    expect(limited(decisions[0])).toEqual(['primary']);
  });

  it('2: a failing lone member gets at most three attempts (1 + 2 retries), below maxAttempts', async () => {
    const { router, faults, decisions } = routerOf([{ name: 'primary', retryAttempts: 2 }], { maxAttempts: 5 });
    faults.primary!.error = unavailable;
    await expect(search(router)).rejects.toSatisfy(ProviderUnavailableError.isInstance);
    expect(faults.primary!.calls).toBe(3);
    expect(tried(decisions[0])).toEqual(['primary', 'primary', 'primary']);
    expect(limited(decisions[0])).toEqual(['primary']);
  });

  it('2: a member that fails twice, then answers, serves the request on its third attempt; 1 is not enough', async () => {
    const patient = routerOf([{ name: 'primary', retryAttempts: 2 }], { maxAttempts: 5 });
    patient.faults.primary!.error = failFirst(2);
    await search(patient.router);
    expect(patient.decisions[0]).toMatchObject({ chosen: 'primary', fallbacks: 2, outcome: 'success' });

    const impatient = routerOf([{ name: 'primary', retryAttempts: 1 }], { maxAttempts: 5 });
    impatient.faults.primary!.error = failFirst(2);
    await expect(search(impatient.router)).rejects.toSatisfy(ProviderUnavailableError.isInstance);
    expect(impatient.faults.primary!.calls).toBe(2);
  });

  it('tries the other members before retrying one: each member within its own count, the whole within maxAttempts', async () => {
    const { router, faults, decisions } = routerOf([{ name: 'primary', retryAttempts: 2 }, { name: 'backup', retryAttempts: 0 }], { maxAttempts: 10 });
    faults.primary!.error = unavailable;
    faults.backup!.error = unavailable;
    await expect(search(router)).rejects.toSatisfy(ProviderUnavailableError.isInstance);
    expect(tried(decisions[0])).toEqual(['primary', 'backup', 'primary', 'primary']);
    // backup was passed over on the later passes for its own limit, then both were spent.
    expect(limited(decisions[0])).toEqual(['backup', 'backup', 'primary', 'backup']);
  });

  it('at the spec’s default (3), a dead primary costs one attempt: the backup answers the same request', async () => {
    const { router, faults, decisions } = routerOf([{ name: 'primary', retryAttempts: 3 }, { name: 'backup', retryAttempts: 3 }], { maxAttempts: 3 });
    faults.primary!.error = unavailable;
    await search(router);
    expect(faults.primary!.calls).toBe(1);
    expect(decisions[0]).toMatchObject({ chosen: 'backup', fallbacks: 1, outcome: 'success' });
  });

  it('at the spec’s default (3), a blackholed primary costs one attempt timeout, not four', async () => {
    const { router, faults, decisions } = routerOf([{ name: 'primary', retryAttempts: 3 }, { name: 'backup', retryAttempts: 3 }], { maxAttempts: 3, attemptTimeoutMs: 150 });
    faults.primary!.hang = true;
    const started = performance.now();
    await search(router);
    expect(performance.now() - started).toBeLessThan(2 * 150);
    expect(tried(decisions[0])).toEqual(['primary', 'backup']);
    expect(decisions[0]!.attempts[0]!.outcome).toBe('failure');
  });

  it('retries draw on the global retry budget: with none left, a member with retries to spare is not retried', async () => {
    const { router, faults, decisions } = routerOf([{ name: 'primary', retryAttempts: 2 }], { maxAttempts: 5, budget: createRetryBudget({ ratio: 0, minConcurrent: 0 }) });
    faults.primary!.error = unavailable;
    await expect(search(router)).rejects.toSatisfy(ProviderUnavailableError.isInstance);
    expect(faults.primary!.calls).toBe(1);
    expect(decisions[0]!.skipped).toEqual([{ provider: 'primary', reason: 'retry-budget' }]);
  });

  it('maxAttempts bounds a member whose own count is higher, and no count at all leaves maxAttempts alone', async () => {
    const bounded = routerOf([{ name: 'primary', retryAttempts: 5 }], { maxAttempts: 2 });
    bounded.faults.primary!.error = unavailable;
    await expect(search(bounded.router)).rejects.toSatisfy(ProviderUnavailableError.isInstance);
    expect(bounded.faults.primary!.calls).toBe(2);

    const unset = routerOf([{ name: 'primary' }], { maxAttempts: 4 });
    unset.faults.primary!.error = unavailable;
    await expect(search(unset.router)).rejects.toSatisfy(ProviderUnavailableError.isInstance);
    expect(unset.faults.primary!.calls).toBe(4);
    expect(limited(unset.decisions[0])).toEqual([]);
  });

  it('never retries an error that is not retryable, whatever the count', async () => {
    const { router, faults } = routerOf([{ name: 'primary', retryAttempts: 3 }, { name: 'backup' }], { maxAttempts: 5 });
    faults.primary!.error = () => new AuthError({ message: 'bad credentials' });
    await expect(search(router)).rejects.toSatisfy(AuthError.isInstance);
    expect([faults.primary!.calls, faults.backup!.calls]).toEqual([1, 0]);
  });

  it('limits a replicator’s delivery to one member (executeOn) the same way', async () => {
    const { router, faults } = routerOf([{ name: 'primary' }, { name: 'backup', retryAttempts: 1 }], { maxAttempts: 5 });
    faults.backup!.error = unavailable;
    await expect(router.executeOn('backup', 'write', 'add', (provider, options) => provider.add([{ ...scope, memory: 'replicated' }], options))).rejects.toSatisfy(ProviderUnavailableError.isInstance);
    expect([faults.primary!.calls, faults.backup!.calls]).toEqual([0, 2]);
  });
});

describe('pool: providers[].retryAttempts', () => {
  it('reaches the router: a lone member with 1 gets two attempts of the pool’s five', async () => {
    const { providers, faults } = faultyMembersOf(['primary']);
    const pool = createFailoverPool({ name: 'pool', providers: providers.map((member) => ({ ...member, retryAttempts: 1 })), retry: { maxAttempts: 5, backoffBaseMs: 1, backoffMaxMs: 2 }, onError: () => {} });
    pools.push(pool);
    faults.primary!.error = unavailable;
    await expect(pool.list(scopeFilter(scope), { page: 1, pageSize: 1 })).rejects.toSatisfy(ProviderUnavailableError.isInstance);
    expect(faults.primary!.calls).toBe(2);
  });

  it.each([-1, 1.5, Number.NaN])('refuses retryAttempts %s, naming the member', (retryAttempts) => {
    const { providers } = faultyMembersOf(['primary']);
    expect(() => createFailoverPool({ name: 'pool', providers: providers.map((member) => ({ ...member, retryAttempts })) })).toThrow(
      expect.objectContaining({ field: 'providers[0].retryAttempts', message: 'retryAttempts must be an integer ≥ 0' }),
    );
  });
});

describe('round-robin weights', () => {
  it('3:1 sends three requests in four to the heavier member, over 400 calls', async () => {
    const { providers, faults } = faultyMembersOf(['heavy', 'light']);
    const weights: Record<string, number> = { heavy: 3, light: 1 };
    const pool = createFailoverPool({ name: 'pool', providers: providers.map((member) => ({ ...member, weight: weights[member.provider.name]! })), strategy: 'round-robin', onError: () => {} });
    pools.push(pool);
    for (let call = 0; call < 400; call += 1) await pool.list(scopeFilter(scope), { page: 1, pageSize: 1 });
    // The schedule is deterministic (smooth weighted round-robin), so 300/100 exactly; the tolerance keeps the
    // test about the ratio, not the algorithm.
    expect(faults.heavy!.calls).toBeGreaterThanOrEqual(300 - 20);
    expect(faults.heavy!.calls).toBeLessThanOrEqual(300 + 20);
    expect(faults.heavy!.calls + faults.light!.calls).toBe(400);
  });

  it('a weighted member that fails sends its share to the others as fallbacks', async () => {
    const { providers, faults } = faultyMembersOf(['heavy', 'light']);
    const pool = createFailoverPool({ name: 'pool', providers: providers.map((member) => ({ ...member, weight: member.provider.name === 'heavy' ? 3 : 1 })), strategy: 'round-robin', breaker: { consecutiveFailures: 1000 }, onError: () => {} });
    pools.push(pool);
    faults.heavy!.error = unavailable;
    const served: (string | null)[] = [];
    for (let call = 0; call < 8; call += 1) await pool.list(scopeFilter(scope), { page: 1, pageSize: 1 }, { onDecision: (decision) => served.push(decision.chosen) });
    expect(served).toEqual(Array(8).fill('light'));
    // At most its six turns in eight; fewer once the health gate demotes it behind the member that answers.
    expect(faults.heavy!.calls).toBeGreaterThanOrEqual(1);
    expect(faults.heavy!.calls).toBeLessThanOrEqual(6);
  });
});
