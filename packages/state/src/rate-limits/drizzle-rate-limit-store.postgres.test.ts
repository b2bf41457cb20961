import { createTestDatabase, type TestDatabase } from '@memgate/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStateStore, type StateStore } from '../create-state-store.js';

// Two stores on one database stand for two gateway replicas.
let database: TestDatabase;
let first: StateStore;
let second: StateStore;
beforeAll(async () => {
  database = await createTestDatabase({ prefix: 'memgate_rate_limits' });
  first = await createStateStore({ url: database.url });
  second = await createStateStore({ url: database.url });
}, 30_000);
afterAll(async () => {
  await first?.close();
  await second?.close();
  await database?.drop();
});

const rule = { capacity: 5, refillPerSecond: 1 };

describe('DrizzleRateLimitStore', () => {
  it('shares one bucket between replicas: the (capacity+1)-th take in the window is refused on either', async () => {
    const now = 1_000_000;
    const allowed: boolean[] = [];
    for (let index = 0; index < 6; index += 1) allowed.push((await (index % 2 === 0 ? first : second).rateLimits.consume('key:a', rule, now, 1)).allowed);
    expect(allowed).toEqual([true, true, true, true, true, false]);
    const refused = await first.rateLimits.consume('key:a', rule, now, 1);
    expect(refused).toMatchObject({ allowed: false, remaining: 0, retryAfterMs: 1000 });
    // One second later exactly one token is back.
    expect((await second.rateLimits.consume('key:a', rule, now + 1000, 1)).allowed).toBe(true);
    expect((await first.rateLimits.consume('key:a', rule, now + 1000, 1)).allowed).toBe(false);
  });

  it('loses no take under concurrency: 40 parallel takes from two replicas on a bucket of 5 admit exactly 5', async () => {
    const now = 2_000_000;
    const results = await Promise.all(Array.from({ length: 40 }, (_, index) => (index % 2 === 0 ? first : second).rateLimits.consume('key:parallel', rule, now, 1)));
    expect(results.filter((result) => result.allowed)).toHaveLength(5);
  });

  it('counts remaining tokens down and never refuses a zero-cost peek', async () => {
    const now = 3_000_000;
    expect((await first.rateLimits.consume('key:b', rule, now, 2)).remaining).toBe(3);
    expect((await second.rateLimits.consume('key:b', rule, now, 0)).remaining).toBe(3);
    expect((await second.rateLimits.consume('key:b', rule, now, 4)).allowed).toBe(false);
  });

  it('refuses a cost above the capacity without touching the bucket', async () => {
    const result = await first.rateLimits.consume('key:c', rule, 4_000_000, 6);
    expect(result.allowed).toBe(false);
    expect((await first.rateLimits.consume('key:c', rule, 4_000_000, 5)).allowed).toBe(true);
  });
});
