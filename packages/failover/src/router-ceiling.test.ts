import { ProviderUnavailableError, scopeFilter, ValidationError } from '@memgate/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createFailoverPool, type FailoverPoolOptions } from './create-failover-pool.js';
import type { FailoverPool } from './failover-pool.js';
import { faultyMembersOf, type FaultSwitch } from './faulty-provider.test-support.js';
import { createInMemoryWriteJournal } from './in-memory-write-journal.js';
import type { RoutingDecision } from './routing-decision.js';
import { createTokenBucket } from './token-bucket.js';

const pools: FailoverPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.close()));
});

type Ceilings = Readonly<Record<string, { readonly maxRequestsPerSecond: number; readonly burst?: number }>>;

/** A pool over real in-memory providers behind fault switches, in priority order, with the given ceilings. */
function poolOf(names: string[], ceilings: Ceilings, options: Partial<FailoverPoolOptions> = {}): { pool: FailoverPool; faults: Record<string, FaultSwitch>; decisions: RoutingDecision[] } {
  const { providers, faults } = faultyMembersOf(names);
  const decisions: RoutingDecision[] = [];
  const pool = createFailoverPool({ name: 'pool', providers: providers.map((member) => ({ ...member, ...ceilings[member.provider.name] })), onError: () => {}, ...options });
  pool.onDecision((decision) => decisions.push(decision));
  pools.push(pool);
  return { pool, faults, decisions };
}

const scope = { userId: `user-${Math.random().toString(36).slice(2)}` };
const search = (pool: FailoverPool) => pool.search({ query: 'tea', filter: scopeFilter(scope) });
const memberOf = (pool: FailoverPool, name: string) => pool.statistics().members.find((member) => member.name === name)!;

describe('token bucket', () => {
  it('holds its capacity, refills at its rate and says how long until the next token', () => {
    let now = 0;
    const bucket = createTokenBucket(10, { capacity: 3, now: () => now });
    expect(bucket.available()).toBe(3);
    bucket.take(3);
    expect(bucket.available()).toBe(0);
    expect(bucket.waitMs(1)).toBeCloseTo(100);
    now = 50;
    expect(bucket.waitMs(1)).toBeCloseTo(50);
    // A reservation (taking what is not there yet) puts the next caller behind it.
    bucket.take(1);
    expect(bucket.waitMs(1)).toBeCloseTo(150);
    now = 10_000;
    expect(bucket.available()).toBe(3);
    // Without a capacity, one second's worth, at least one token.
    expect(createTokenBucket(0.5, { now: () => 0 }).available()).toBe(1);
  });
});

describe('router: a member at its request ceiling', () => {
  it('is passed over like a busy host: the next member serves, and nothing counts against the skipped one', async () => {
    // One token a second, a burst of three: the primary takes the first three reads; the rest go to the backup.
    const { pool, faults, decisions } = poolOf(['primary', 'backup'], { primary: { maxRequestsPerSecond: 1, burst: 3 } });
    for (let index = 0; index < 10; index += 1) await search(pool);
    expect(decisions.map((decision) => decision.chosen)).toEqual(['primary', 'primary', 'primary', ...Array(7).fill('backup')]);
    expect([faults.primary!.calls, faults.backup!.calls]).toEqual([3, 7]);
    const skipped = decisions[3]!;
    expect(skipped).toMatchObject({ outcome: 'success', chosen: 'backup', fallbacks: 0, order: ['primary', 'backup'], skipped: [{ provider: 'primary', reason: 'at-ceiling' }] });
    expect(skipped.attempts.map((attempt) => attempt.provider)).toEqual(['backup']);
    // No failure anywhere: the breaker, the health monitor and the retry budget saw nothing.
    expect(memberOf(pool, 'primary')).toMatchObject({ attempts: 3, failures: 0, served: 3, breaker: { state: 'closed', consecutiveFailures: 0 }, ceiling: { requestsPerSecond: 1, burst: 3, skips: 7 } });
    expect(pool.health.snapshot('primary')).toMatchObject({ consecutiveFailures: 0, windows: { '1m': { failures: 0, successes: 3 } } });
    expect(pool.statistics()).toMatchObject({ failures: 0, requestsWithFallback: 0, retriesRejectedByBudget: 0 });
    expect(memberOf(pool, 'backup').ceiling).toBeUndefined();
  });

  it('moves the excess of concurrent load to the other member and fails no request', async () => {
    const { pool, faults } = poolOf(['primary', 'backup'], { primary: { maxRequestsPerSecond: 20, burst: 5 } });
    await pool.add([{ ...scope, memory: 'likes tea' }]);
    for (const fault of Object.values(faults)) fault.delayMs = 5;
    const started = performance.now();
    // 8 clients, 25 requests each, as fast as the members answer: well above 20 a second.
    const outcomes = await Promise.allSettled(Array.from({ length: 8 }, async () => {
      for (let index = 0; index < 25; index += 1) await search(pool);
    }));
    const seconds = (performance.now() - started) / 1000;
    expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toEqual([]);
    const primary = memberOf(pool, 'primary');
    const backup = memberOf(pool, 'backup');
    // The add took one primary token. Burst plus the rate over the run, plus one for the refill's rounding.
    expect(primary.served).toBeLessThanOrEqual(5 + Math.ceil(20 * seconds) + 1);
    expect(primary.served + backup.served).toBe(201);
    expect(backup.served).toBeGreaterThan(primary.served);
    expect(primary.ceiling!.skips).toBeGreaterThan(0);
    expect(primary.failures + backup.failures).toBe(0);
  });

  it('sends writes past a member at its ceiling too', async () => {
    const { pool, decisions } = poolOf(['primary', 'backup'], { primary: { maxRequestsPerSecond: 1, burst: 1 } });
    await pool.add([{ ...scope, memory: 'one' }]);
    await pool.add([{ ...scope, memory: 'two' }]);
    expect(decisions.map((decision) => [decision.kind, decision.chosen, decision.skipped.map((skip) => skip.reason)])).toEqual([
      ['write', 'primary', []],
      ['write', 'backup', ['at-ceiling']],
    ]);
  });

  it('answers a 503 with the wait for the soonest token when every member is at its ceiling, and serves again once it has passed', async () => {
    const { pool, faults, decisions } = poolOf(['primary', 'backup'], { primary: { maxRequestsPerSecond: 2, burst: 1 }, backup: { maxRequestsPerSecond: 4, burst: 1 } });
    await search(pool);
    await search(pool);
    const error: unknown = await search(pool).catch((caught: unknown) => caught);
    expect(ProviderUnavailableError.isInstance(error)).toBe(true);
    const refused = error as ProviderUnavailableError;
    expect(refused.isRetryable).toBe(true);
    // The backup refills first: a token every 250 ms.
    expect(refused.retryAfterMs).toBeGreaterThan(150);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(250);
    expect(refused.message).toContain('primary: at its ceiling of 2 requests/s');
    expect(refused.message).toContain('backup: at its ceiling of 4 requests/s');
    expect(decisions[2]).toMatchObject({ outcome: 'failure', chosen: null, panic: false, attempts: [], skipped: [{ provider: 'primary', reason: 'at-ceiling' }, { provider: 'backup', reason: 'at-ceiling' }] });
    expect([faults.primary!.calls, faults.backup!.calls]).toEqual([1, 1]);
    // The primary was passed over on the second read (the backup served it) and on the third.
    expect(memberOf(pool, 'primary')).toMatchObject({ failures: 0, breaker: { state: 'closed', consecutiveFailures: 0 }, ceiling: { skips: 2 } });
    expect(memberOf(pool, 'backup')).toMatchObject({ failures: 0, breaker: { state: 'closed', consecutiveFailures: 0 }, ceiling: { skips: 1 } });
    await new Promise((resolve) => setTimeout(resolve, refused.retryAfterMs! + 5));
    await search(pool);
    expect(decisions[3]).toMatchObject({ outcome: 'success', chosen: 'backup' });
  });

  it('names the ceiling when one member is at it and the other breaker is open, rather than panicking past the ceiling', async () => {
    const { pool, faults, decisions } = poolOf(['primary', 'backup'], { backup: { maxRequestsPerSecond: 1, burst: 1 } }, { breaker: { consecutiveFailures: 1, failureRate: false, cooldownMs: 60_000 }, readPanic: 'least-bad' });
    faults.primary!.error = () => new ProviderUnavailableError({ message: 'connection refused' });
    await search(pool); // primary fails (its breaker opens), the backup serves with its only token
    const error: unknown = await search(pool).catch((caught: unknown) => caught);
    expect(ProviderUnavailableError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/backup: at its ceiling of 1 requests\/s; primary: breaker-open/);
    expect(decisions[1]).toMatchObject({ panic: false, attempts: [] });
    expect(faults.backup!.calls).toBe(1);
  });

  it('does not hedge a read to a member at its ceiling', async () => {
    const { pool, faults, decisions } = poolOf(['primary', 'backup'], { backup: { maxRequestsPerSecond: 1, burst: 1 } }, { retry: { hedgeReadsAfterMs: 20 } });
    await pool.add([{ ...scope, memory: 'tea' }]);
    await search(pool); // the primary serves
    // The backup's only token goes to a direct read while the primary is forced out.
    pool.forceOut('primary');
    await search(pool);
    pool.forceIn('primary');
    faults.primary!.delayMs = 80;
    await search(pool);
    const slow = decisions.at(-1)!;
    expect(slow).toMatchObject({ outcome: 'success', chosen: 'primary', skipped: [{ provider: 'backup', reason: 'at-ceiling' }] });
    expect(slow.attempts.map((attempt) => attempt.provider)).toEqual(['primary']);
    expect(faults.backup!.calls).toBe(1);
  });

  it('queues a single-member call (replication) for the member\'s next token instead of refusing it, within the deadline', async () => {
    const { providers, faults } = faultyMembersOf(['primary', 'backup']);
    const pool = createFailoverPool({ name: 'pool', providers: providers.map((member) => (member.provider.name === 'backup' ? { ...member, maxRequestsPerSecond: 20, burst: 1 } : member)), journal: createInMemoryWriteJournal(), onError: () => {} });
    pools.push(pool);
    const replication = pool.replication!;
    const started = performance.now();
    for (let index = 0; index < 5; index += 1) await replication.executeOn('backup', (provider, options) => provider.probe(options));
    // The first call spends the burst; each of the other four waits about 50 ms for its token.
    expect(performance.now() - started).toBeGreaterThanOrEqual(4 * 50 - 10);
    expect(faults.backup!.calls).toBe(5);
    expect(memberOf(pool, 'backup')).toMatchObject({ failures: 0, ceiling: { skips: 0 } });
    // A wait past the call's deadline is refused at once, naming the ceiling, and takes no token.
    const error: unknown = await replication.executeOn('backup', (provider, options) => provider.probe(options), { deadline: Date.now() + 5 }).catch((caught: unknown) => caught);
    expect(ProviderUnavailableError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('backup: at its ceiling of 20 requests/s');
    expect(faults.backup!.calls).toBe(5);
  });

  it('validates the ceiling, naming the field', () => {
    const { providers } = faultyMembersOf(['primary']);
    const make = (extra: Record<string, unknown>) => () => createFailoverPool({ name: 'pool', providers: [{ ...providers[0]!, ...extra }] });
    for (const [extra, field] of [
      [{ maxRequestsPerSecond: 0 }, 'providers[0].maxRequestsPerSecond'],
      [{ maxRequestsPerSecond: Number.NaN }, 'providers[0].maxRequestsPerSecond'],
      [{ maxRequestsPerSecond: 5, burst: 0 }, 'providers[0].burst'],
      [{ maxRequestsPerSecond: 5, burst: 1.5 }, 'providers[0].burst'],
      [{ burst: 5 }, 'providers[0].burst'],
    ] as const) {
      const error: unknown = (() => {
        try {
          make(extra)();
        } catch (caught) {
          return caught;
        }
        return undefined;
      })();
      expect(ValidationError.isInstance(error)).toBe(true);
      expect((error as ValidationError).field).toBe(field);
    }
  });
});
