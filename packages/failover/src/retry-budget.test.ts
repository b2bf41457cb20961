import { describe, expect, it } from 'vitest';
import { createDecisionHistoryStoreForTest } from './decision-history-store.test-support.js';
import { createRetryBudget } from './retry-budget.js';

describe('retry budget', () => {
  it('allows retries in flight up to max(minConcurrent, ratio × requests in flight)', () => {
    const budget = createRetryBudget({ ratio: 0.2, minConcurrent: 3 });
    const ends = Array.from({ length: 50 }, () => budget.requestStarted());
    const tokens = Array.from({ length: 20 }, () => budget.tryAcquireRetry());
    expect(tokens.filter(Boolean)).toHaveLength(10);
    expect(budget.stats()).toEqual({ requestsInFlight: 50, retriesInFlight: 10, rejected: 10 });
    tokens[0]!();
    tokens[0]!(); // releasing twice is ignored
    expect(budget.stats().retriesInFlight).toBe(9);
    for (const end of ends) end();
    expect(budget.tryAcquireRetry()).toBeUndefined(); // 9 in flight, floor of 3
  });

  it('keeps a floor so a quiet pool can still retry', () => {
    const budget = createRetryBudget();
    budget.requestStarted();
    expect([budget.tryAcquireRetry(), budget.tryAcquireRetry(), budget.tryAcquireRetry(), budget.tryAcquireRetry()].map(Boolean)).toEqual([true, true, true, false]);
  });
});

describe('in-memory decision history', () => {
  it('keeps the last `capacity` decisions, newest first, and filters them', async () => {
    const { store, decision } = createDecisionHistoryStoreForTest(3);
    for (let index = 0; index < 5; index += 1) store.append(decision(index, index % 2 === 0 ? 'a' : 'b'));
    expect((await store.list()).map((entry) => entry.startedAt)).toEqual([4, 3, 2]);
    expect((await store.list({ provider: 'a' })).map((entry) => entry.startedAt)).toEqual([4, 2]);
    expect((await store.list({ since: 3, limit: 1 })).map((entry) => entry.startedAt)).toEqual([4]);
    expect(await store.list({ outcome: 'failure' })).toEqual([]);
  });
});
