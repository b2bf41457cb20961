import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createLayeredRateLimitStore } from './create-layered-rate-limit-store.js';
import { redisEvictionPolicyProblem } from './redis-eviction-policy-problem.js';
import { createRedisRateLimitStore } from './redis-rate-limit-store.js';
import { takeTokens } from './token-bucket.js';

// The real Redis on the machine (REDIS_URL overrides it). Every key carries a random prefix, removed afterwards.
const connectionString = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const keyPrefix = `memgate-test:rate-limit:${randomUUID()}:`;
const client = new Redis(connectionString, { lazyConnect: true, maxRetriesPerRequest: 1 });
const store = createRedisRateLimitStore({ client, keyPrefix });
const rule = { capacity: 5, refillPerSecond: 1 };

afterAll(async () => {
  const keys = await client.keys(`${keyPrefix}*`);
  if (keys.length > 0) await client.unlink(...keys);
  await client.quit();
});

describe('createRedisRateLimitStore against a real Redis', () => {
  it('takes like takeTokens: the burst, then a refusal with the wait, then the refill', async () => {
    const now = 1_700_000_000_000;
    const taken = [];
    for (let index = 0; index < 5; index += 1) taken.push(await store.consume('a', rule, now, 1));
    expect(taken.map((result) => [result.allowed, result.remaining])).toEqual([[true, 4], [true, 3], [true, 2], [true, 1], [true, 0]]);
    expect(await store.consume('a', rule, now, 1)).toMatchObject({ allowed: false, remaining: 0, retryAfterMs: 1000 });
    expect(await store.consume('a', rule, now + 400, 1)).toMatchObject({ allowed: false, retryAfterMs: 600 });
    expect(await store.consume('a', rule, now + 1000, 1)).toMatchObject({ allowed: true, remaining: 0 });
    expect(await store.consume('a', rule, now + 3500, 2)).toMatchObject({ allowed: true, remaining: 0 });
    // Fractions survive the round trip: half a token left, half a second to the next.
    expect(await store.consume('a', rule, now + 3500, 1)).toMatchObject({ allowed: false, retryAfterMs: 500 });
  });

  it('agrees with takeTokens step by step over a random walk of times and costs', async () => {
    let state: ReturnType<typeof takeTokens>['state'] | undefined;
    let now = 1_700_000_000_000;
    const walkRule = { capacity: 7, refillPerSecond: 2.5 };
    // Lua and JavaScript round the refill differently in the last bit: a step whose answer sits on an
    // integer boundary (a level of exactly `cost`, a whole remaining, a whole wait) is stepped over.
    const nearWhole = (value: number): boolean => Math.abs(value - Math.round(value)) < 1e-6;
    let compared = 0;
    for (let step = 0; step < 300; step += 1) {
      now += Math.floor(Math.random() * 900);
      const cost = 1 + Math.floor(Math.random() * 3);
      const level = takeTokens(walkRule, state, now, 0).state.tokens;
      if ((level < walkRule.capacity && nearWhole(level)) || (level < cost && nearWhole(((cost - level) / walkRule.refillPerSecond) * 1000))) continue;
      const expected = takeTokens(walkRule, state, now, cost);
      const actual = await store.consume('walk', walkRule, now, cost);
      expect([actual.allowed, actual.remaining, actual.retryAfterMs]).toEqual([expected.allowed, expected.remaining, expected.retryAfterMs]);
      if (expected.allowed) state = expected.state;
      compared += 1;
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('serialises concurrent takes of many clients: exactly the burst is admitted', async () => {
    const others = Array.from({ length: 4 }, () => new Redis(connectionString, { lazyConnect: true }));
    try {
      const stores = others.map((other) => createRedisRateLimitStore({ client: other, keyPrefix }));
      const now = Date.now();
      const results = await Promise.all(Array.from({ length: 40 }, (_, index) => stores[index % stores.length]!.consume('race', rule, now, 1)));
      expect(results.filter((result) => result.allowed)).toHaveLength(5);
    } finally {
      await Promise.all(others.map((other) => other.quit()));
    }
  });

  it('removes a bucket only once it is full again: its key expires when it has refilled', async () => {
    const now = Date.now();
    await store.consume('expiring', { capacity: 10, refillPerSecond: 20 }, now, 4);
    const ttl = await client.pttl(`${keyPrefix}expiring`);
    // 4 tokens at 20 a second: full in 200 ms.
    expect(ttl).toBeGreaterThan(100);
    expect(ttl).toBeLessThanOrEqual(200);
    // A refused take writes nothing (no key for a bucket never taken from).
    await store.consume('never', { capacity: 1, refillPerSecond: 1 }, now, 1);
    await client.del(`${keyPrefix}never`);
    expect(await store.consume('never', { capacity: 1, refillPerSecond: 1 }, now, 2)).toMatchObject({ allowed: false });
    expect(await client.exists(`${keyPrefix}never`)).toBe(0);
    // A rule that never refills keeps its bucket for good.
    await store.consume('forever', { capacity: 2, refillPerSecond: 0 }, now, 1);
    expect(await client.pttl(`${keyPrefix}forever`)).toBe(-1);
  });

  it('keeps a bucket taken by a replica whose clock runs ahead: no refill backwards, and it lives long enough', async () => {
    const now = Date.now();
    const ahead = now + 10_000;
    expect(await store.consume('skew', rule, ahead, 3)).toMatchObject({ allowed: true, remaining: 2 });
    // The replica behind sees the bucket as it was left, not one refilled by a negative elapsed time.
    expect(await store.consume('skew', rule, now, 1)).toMatchObject({ allowed: true, remaining: 1 });
    // Full 4 s after the ahead clock's instant, which is 10 s from now on the behind one.
    expect(await client.pttl(`${keyPrefix}skew`)).toBeGreaterThan(13_000);
    expect(await store.consume('skew', rule, now, 2)).toMatchObject({ allowed: false, remaining: 1 });
  });

  it('sends the script itself when the server does not know it (NOSCRIPT), then goes on with EVALSHA', async () => {
    // A server that has just restarted or run SCRIPT FLUSH: simulated in front of the real one, so
    // the shared test server's script cache is left alone.
    const sent: string[] = [];
    let forgotten = true;
    const forgetful = {
      call: (command: string, ...args: (string | number)[]) => {
        sent.push(command);
        if (command === 'EVALSHA' && forgotten) {
          forgotten = false;
          return Promise.reject(new Error('NOSCRIPT No matching script. Please use EVAL.'));
        }
        return client.call(command, ...args);
      },
    };
    const fresh = createRedisRateLimitStore({ client: forgetful, keyPrefix });
    expect((await fresh.consume('flushed', rule, Date.now(), 1)).allowed).toBe(true);
    expect((await fresh.consume('flushed', rule, Date.now(), 1)).remaining).toBe(3);
    expect(sent).toEqual(['EVALSHA', 'EVAL', 'EVALSHA']);
  });

  it('rejects when the server is unreachable, fails fast while paused, and the layered store answers locally meanwhile', async () => {
    const down = new Redis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
    down.on('error', () => {});
    try {
      const unreachable = createRedisRateLimitStore({ client: down, pauseAfterFailureMs: 60_000 });
      await expect(unreachable.consume('k', rule, Date.now(), 1)).rejects.toThrow();
      const started = performance.now();
      await expect(unreachable.consume('k', rule, Date.now(), 1)).rejects.toThrow(/paused after a failed command/);
      expect(performance.now() - started).toBeLessThan(50);
      const errors: unknown[] = [];
      const layered = createLayeredRateLimitStore({ shared: unreachable, onSharedError: (error) => errors.push(error) });
      const answers = [];
      for (let index = 0; index < 6; index += 1) answers.push((await layered.consume('k', rule, 0, 1)).allowed);
      expect(answers).toEqual([true, true, true, true, true, false]);
      expect(errors).toHaveLength(6);
    } finally {
      down.disconnect();
    }
  });
});

describe('redisEvictionPolicyProblem', () => {
  it('finds no problem on the test server (no maxmemory, or noeviction)', async () => {
    expect(await redisEvictionPolicyProblem(client)).toBeUndefined();
  });

  it('names an evicting policy under a maxmemory, and stays silent when CONFIG is refused', async () => {
    const configured = (reply: string[]) => ({ call: async () => reply });
    expect(await redisEvictionPolicyProblem(configured(['maxmemory', '104857600', 'maxmemory-policy', 'allkeys-lru']))).toMatch(/allkeys-lru.*noeviction/);
    expect(await redisEvictionPolicyProblem(configured(['maxmemory', '104857600', 'maxmemory-policy', 'noeviction']))).toBeUndefined();
    expect(await redisEvictionPolicyProblem(configured(['maxmemory', '0', 'maxmemory-policy', 'volatile-lru']))).toBeUndefined();
    expect(await redisEvictionPolicyProblem({ call: () => Promise.reject(new Error("ERR unknown command 'CONFIG'")) })).toBeUndefined();
  });
});
