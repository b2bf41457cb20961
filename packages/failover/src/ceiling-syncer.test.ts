import { scopeFilter } from '@memgate/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCeilingSyncer, type CeilingSyncer } from './ceiling-syncer.js';
import { createFailoverPool } from './create-failover-pool.js';
import type { FailoverPool } from './failover-pool.js';
import { faultyMembersOf } from './faulty-provider.test-support.js';
import { createLeasedTokenBucket, type LeasedTokenBucket } from './leased-token-bucket.js';
import type { MemberCeiling, PoolMember } from './pool-member.js';
import type { SharedCeilingRule, SharedCeilingStore } from './shared-ceiling-store.js';

// The clock of every bucket (the members' and the shared one) in these tests, in ms.
let clock = 0;
const now = () => clock;
beforeEach(() => {
  clock = 0;
});

interface FakeSharedStore extends SharedCeilingStore {
  /** Every call made, as [member, count]. */
  readonly calls: [string, number][];
  /** Makes the next calls throw (or hang) until set back to `undefined`. */
  failure?: 'throw' | 'hang' | undefined;
  level(member: string, rule: SharedCeilingRule): number;
}

/** A shared token bucket per member on the fake clock, with the semantics of the gateway's stores: all or nothing, a give-back capped at the burst. */
function fakeSharedStore(): FakeSharedStore {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const refill = (member: string, rule: SharedCeilingRule) => {
    const bucket = buckets.get(member) ?? { tokens: rule.burst, at: clock };
    bucket.tokens = Math.min(rule.burst, bucket.tokens + ((clock - bucket.at) / 1000) * rule.requestsPerSecond);
    bucket.at = clock;
    buckets.set(member, bucket);
    return bucket;
  };
  const store: FakeSharedStore = {
    calls: [],
    async take(member, rule, count) {
      store.calls.push([member, count]);
      if (store.failure === 'throw') throw new Error('store down');
      if (store.failure === 'hang') return new Promise(() => undefined);
      const bucket = refill(member, rule);
      if (bucket.tokens < count) return { taken: false, available: bucket.tokens };
      bucket.tokens = Math.min(rule.burst, bucket.tokens - count);
      return { taken: true, available: bucket.tokens };
    },
    level: (member, rule) => refill(member, rule).tokens,
  };
  return store;
}

interface Replica {
  readonly member: PoolMember;
  readonly ceiling: MemberCeiling;
  readonly lease: LeasedTokenBucket;
  readonly syncer: CeilingSyncer;
  /** Clock readings of the calls this replica made to the member. */
  readonly calls: number[];
}

/** One replica's view of member `name` with a shared ceiling, synced by hand (`syncNow`) on the fake clock. */
function replica(store: SharedCeilingStore, rule: SharedCeilingRule, options: { onError?: (error: unknown) => void; timeoutMs?: number } = {}): Replica {
  const lease = createLeasedTokenBucket({ ratePerSecond: rule.requestsPerSecond, capacity: rule.burst, now });
  const ceiling: MemberCeiling = { ...rule, bucket: lease, lease, skips: 0 };
  const member = { name: 'primary', ceiling } as unknown as PoolMember;
  const syncer = createCeilingSyncer({ store, members: [member], start: false, now, ...options });
  return { member, ceiling, lease, syncer, calls: [] };
}

/** What the router does per request: a call when the bucket has a token, else an `at-ceiling` skip. */
function request(replica: Replica): boolean {
  if (replica.ceiling.bucket.available() < 1) {
    replica.ceiling.skips += 1;
    return false;
  }
  replica.ceiling.bucket.take(1);
  replica.calls.push(clock);
  return true;
}

const rule: SharedCeilingRule = { requestsPerSecond: 5, burst: 3 };

describe('ceiling syncer: a request ceiling shared by replicas, on a fake clock', () => {
  it('two replicas under load far above the ceiling make at most burst + rps × t (+ one token each held at the start) calls together, in every window', async () => {
    const store = fakeSharedStore();
    const replicas = [replica(store, rule), replica(store, rule)];
    // Both start idle: each syncs once and keeps one token.
    for (const each of replicas) await each.syncer.syncNow();
    expect(replicas.map((each) => each.lease.held())).toEqual([1, 1]);
    const started = clock;
    const seconds = 10;
    // 20 requests a second per replica; each syncs every 80-120 ms, as the loop does (a seeded jitter).
    let seed = 7;
    const jitter = () => ((seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647) * 40 - 20;
    const nextSync = [100, 150];
    for (let step = 1; step <= (seconds * 1000) / 5; step += 1) {
      clock = started + step * 5;
      for (const each of replicas) if (step % 10 === 0) request(each);
      for (const [index, each] of replicas.entries()) {
        if (clock - started < nextSync[index]!) continue;
        await each.syncer.syncNow();
        nextSync[index]! += 100 + jitter();
      }
    }
    const calls = replicas.flatMap((each) => each.calls).sort((a, b) => a - b);
    const limit = rule.burst + rule.requestsPerSecond * seconds + replicas.length;
    expect(calls.length).toBeLessThanOrEqual(limit);
    // The ceiling is used, not starved by the sharing: over 90 % of its rate.
    expect(calls.length).toBeGreaterThanOrEqual(0.9 * rule.requestsPerSecond * seconds);
    // Both replicas got a real share (first come, first served: not split by load).
    for (const each of replicas) expect(each.calls.length).toBeGreaterThan(0.2 * calls.length);
    // Every window of w seconds: at most burst + rps × w + the tokens the replicas held at its start (at most one lease each).
    for (const windowMs of [200, 1000, 3000]) {
      for (let index = 0; index < calls.length; index += 1) {
        const inWindow = calls.filter((at) => at >= calls[index]! && at < calls[index]! + windowMs).length;
        expect(inWindow).toBeLessThanOrEqual(rule.burst + rule.requestsPerSecond * (windowMs / 1000) + replicas.length * rule.burst);
      }
    }
    // Against one replica alone (each limiting on its own), two would have made twice the rate.
    expect(calls.length).toBeLessThan(1.5 * rule.requestsPerSecond * seconds);
  });

  it('starts empty, leases what it was asked for (at least 1, at most the burst), and an idle replica keeps one token at no round trip', async () => {
    const store = fakeSharedStore();
    const one = replica(store, rule);
    expect(one.lease.available()).toBe(0);
    expect(request(one)).toBe(false);
    await one.syncer.syncNow();
    // One skip since the last sync: a lease of one.
    expect(store.calls).toEqual([['primary', 1]]);
    expect(one.lease.held()).toBe(1);
    clock += 100;
    await one.syncer.syncNow();
    clock += 100;
    await one.syncer.syncNow();
    expect(store.calls).toHaveLength(1);
    // Five requests (one served, four skipped): the next lease is the burst, which the shared bucket holds again by now.
    for (let index = 0; index < 5; index += 1) request(one);
    expect(one.calls).toHaveLength(1);
    await one.syncer.syncNow();
    expect(one.lease.held()).toBe(3);
    expect(store.calls.at(-1)).toEqual(['primary', 3]);
    // Asked for more than it holds, the shared bucket gives what whole tokens it has.
    for (let index = 0; index < 6; index += 1) request(one);
    clock += 250;
    await one.syncer.syncNow();
    expect(store.calls.slice(-1)).toEqual([['primary', 1]]);
    expect(one.lease.held()).toBe(1);
    // Another replica took the token the estimate counted on: refused, then nothing (no whole token).
    await store.take('primary', rule, 1);
    for (let index = 0; index < 6; index += 1) request(one);
    clock += 10;
    await one.syncer.syncNow();
    expect(store.calls.slice(-1)).toEqual([['primary', 1]]);
    expect(one.lease.held()).toBe(0);
  });

  it('gives back whole tokens above the lease wanted, and every unspent one at close', async () => {
    const store = fakeSharedStore();
    const one = replica(store, rule);
    for (let index = 0; index < 4; index += 1) request(one);
    await one.syncer.syncNow();
    expect(one.lease.held()).toBe(3);
    expect(store.level('primary', rule)).toBe(0);
    // One request in the next period: the lease wanted is 1, the second token held goes back.
    request(one);
    await one.syncer.syncNow();
    expect(store.calls.at(-1)).toEqual(['primary', -1]);
    expect(one.lease.held()).toBe(1);
    expect(store.level('primary', rule)).toBe(1);
    await one.syncer.close();
    expect(store.calls.at(-1)).toEqual(['primary', -1]);
    expect(one.lease.held()).toBe(0);
    expect(store.level('primary', rule)).toBe(2);
  });

  it('a call queued ahead of its token is a debt the next lease repays', async () => {
    const store = fakeSharedStore();
    const one = replica(store, rule);
    // What the router's executeOn does: take the next token before it is there, then call.
    one.lease.take(1);
    expect(one.lease.held()).toBe(-1);
    expect(one.lease.waitMs(1)).toBeCloseTo(400);
    await one.syncer.syncNow();
    // Asked for the one spent plus the debt.
    expect(store.calls).toEqual([['primary', 2]]);
    expect(one.lease.held()).toBe(1);
  });

  it('fails open to the rate on this replica when the store fails, from what it held (never full), reported at most every 10 s; back to leasing once it answers', async () => {
    const store = fakeSharedStore();
    const errors: unknown[] = [];
    const one = replica(store, rule, { onError: (error) => errors.push(error) });
    request(one);
    await one.syncer.syncNow();
    expect(one.lease.held()).toBe(1);
    store.failure = 'throw';
    request(one);
    await one.syncer.syncNow();
    expect(one.lease.mode).toBe('local');
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toBe('provider ceiling of primary: the shared bucket failed, limiting on this replica alone at 5 requests/s');
    expect(((errors[0] as Error).cause as Error).message).toBe('store down');
    // Refills here from 0 at 5 a second, up to the burst: not a full bucket at once.
    expect(one.lease.available()).toBe(0);
    clock += 400;
    expect(one.lease.available()).toBe(2);
    clock += 10_000;
    expect(one.lease.available()).toBe(3);
    // Each sync tries the store again; the failures of the next 10 s are held back and counted.
    await one.syncer.syncNow();
    expect(errors).toHaveLength(2);
    clock += 5_000;
    await one.syncer.syncNow();
    await one.syncer.syncNow();
    expect(errors).toHaveLength(2);
    clock += 5_000;
    await one.syncer.syncNow();
    expect(errors).toHaveLength(3);
    expect((errors[2] as Error).message).toMatch(/\(and 2 more failures since the last report\)$/);
    // Back: the tokens made here are dropped, the lease comes from the shared bucket again.
    store.failure = undefined;
    await one.syncer.syncNow();
    expect(one.lease.mode).toBe('shared');
    expect(one.lease.held()).toBe(1);
    clock += 10_000;
    expect(one.lease.held()).toBe(1);
  });

  it('a store that does not answer within timeoutMs counts as failed; the loop syncs every syncIntervalMs', async () => {
    vi.useFakeTimers();
    try {
      const store = fakeSharedStore();
      const errors: unknown[] = [];
      const lease = createLeasedTokenBucket({ ratePerSecond: 5, capacity: 3 });
      const member = { name: 'primary', ceiling: { ...rule, bucket: lease, lease, skips: 0 } } as unknown as PoolMember;
      const syncer = createCeilingSyncer({ store, members: [member], syncIntervalMs: 100, timeoutMs: 300, onError: (error) => errors.push(error) });
      // The first sync at once, then one every 100 ms ± 20 % (an idle replica with its token sends nothing).
      await vi.advanceTimersByTimeAsync(0);
      expect(store.calls).toEqual([['primary', 1]]);
      lease.take(1);
      await vi.advanceTimersByTimeAsync(79);
      expect(store.calls).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(41);
      expect(store.calls).toHaveLength(2);
      store.failure = 'hang';
      lease.take(1);
      await vi.advanceTimersByTimeAsync(120);
      expect(store.calls).toHaveLength(3);
      expect(lease.mode).toBe('shared');
      await vi.advanceTimersByTimeAsync(300);
      expect(lease.mode).toBe('local');
      expect(((errors[0] as Error).cause as Error).message).toBe('the shared ceiling store did not answer within 300 ms');
      await syncer.close();
      const sent = store.calls.length;
      await vi.advanceTimersByTimeAsync(1000);
      expect(store.calls).toHaveLength(sent);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('a failover pool with shared ceilings', () => {
  const pools: FailoverPool[] = [];
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((pool) => pool.close()));
  });

  it('two pools (two replicas) over one shared store hold the primary to its ceiling together; the excess goes to the backup, nothing fails', async () => {
    const store = fakeSharedStore();
    // The fake store runs on real time here.
    const started = Date.now();
    clock = 0;
    const tick = setInterval(() => (clock = Date.now() - started), 1);
    try {
      const replicas = [0, 1].map(() => {
        const { providers, faults } = faultyMembersOf(['primary', 'backup']);
        const pool = createFailoverPool({ name: 'pool', providers: providers.map((member, index) => (index === 0 ? { ...member, maxRequestsPerSecond: 5, burst: 3 } : member)), sharedCeilings: { store, syncIntervalMs: 50 }, onError: () => undefined });
        pools.push(pool);
        return { pool, faults };
      });
      const scope = scopeFilter({ userId: 'reader' });
      const from = performance.now();
      const outcomes = await Promise.allSettled(
        replicas.flatMap(({ pool }) =>
          Array.from({ length: 4 }, async () => {
            while (performance.now() - from < 1500) {
              await pool.search({ query: 'tea', filter: scope });
              await new Promise((resolve) => setTimeout(resolve, 2));
            }
          }),
        ),
      );
      const seconds = (performance.now() - from) / 1000;
      expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toEqual([]);
      const primaryCalls = replicas.reduce((sum, { faults }) => sum + faults.primary!.calls, 0);
      const backupCalls = replicas.reduce((sum, { faults }) => sum + faults.backup!.calls, 0);
      // A new pool starts empty and leases: no free burst per replica. One lease per replica of slack.
      expect(primaryCalls).toBeLessThanOrEqual(3 + Math.ceil(5 * seconds) + 2 * 3);
      expect(primaryCalls).toBeGreaterThanOrEqual(3);
      expect(backupCalls).toBeGreaterThan(primaryCalls);
      for (const { pool } of replicas) expect(pool.statistics().members.find((member) => member.name === 'primary')).toMatchObject({ failures: 0, breaker: { state: 'closed' } });
    } finally {
      clearInterval(tick);
    }
  });
});
