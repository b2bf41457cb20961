import { describe, expect, it } from 'vitest';
import { createLayeredRateLimitStore } from './create-layered-rate-limit-store.js';
import { createInMemoryRateLimitStore, type RateLimitStore } from './rate-limit-store.js';

const rule = { capacity: 2, refillPerSecond: 1 };

/** A shared store that counts the calls reaching it. */
function countingStore(inner: RateLimitStore = createInMemoryRateLimitStore()): RateLimitStore & { calls: number } {
  const store = {
    calls: 0,
    consume: (...parameters: Parameters<RateLimitStore['consume']>) => {
      store.calls += 1;
      return inner.consume(...parameters);
    },
  };
  return store;
}

describe('createLayeredRateLimitStore', () => {
  it('refuses from the in-process copy while a shared refusal still holds, without a round trip', async () => {
    const shared = countingStore();
    const store = createLayeredRateLimitStore({ shared });
    expect((await store.consume('k', rule, 0, 1)).allowed).toBe(true);
    expect((await store.consume('k', rule, 0, 1)).allowed).toBe(true);
    expect((await store.consume('k', rule, 0, 1)).allowed).toBe(false);
    expect(shared.calls).toBe(3);
    expect((await store.consume('k', rule, 500, 1))).toMatchObject({ allowed: false, retryAfterMs: 500 });
    expect(shared.calls).toBe(3);
    expect((await store.consume('k', rule, 1000, 1)).allowed).toBe(true);
    expect(shared.calls).toBe(4);
  });

  it('lets the shared store decide every admission: two layers over one shared store share its bucket', async () => {
    const shared = createInMemoryRateLimitStore();
    const first = createLayeredRateLimitStore({ shared });
    const second = createLayeredRateLimitStore({ shared });
    expect((await first.consume('k', rule, 0, 1)).allowed).toBe(true);
    expect((await second.consume('k', rule, 0, 1)).allowed).toBe(true);
    expect((await first.consume('k', rule, 0, 1)).allowed).toBe(false);
    expect((await second.consume('k', rule, 0, 1)).allowed).toBe(false);
  });

  it('answers from a local bucket when the shared store fails, and reports the error', async () => {
    const errors: unknown[] = [];
    const store = createLayeredRateLimitStore({ shared: { consume: () => Promise.reject(new Error('down')) }, onSharedError: (error) => errors.push(error) });
    expect((await store.consume('k', rule, 0, 1)).allowed).toBe(true);
    expect((await store.consume('k', rule, 0, 1)).allowed).toBe(true);
    expect((await store.consume('k', rule, 0, 1)).allowed).toBe(false);
    expect(errors).toHaveLength(3);
  });

  it('answers a zero-cost peek without a round trip: full when unknown, the local copy after a refusal', async () => {
    const shared = countingStore();
    const store = createLayeredRateLimitStore({ shared });
    expect(await store.consume('k', rule, 0, 0)).toMatchObject({ allowed: true, remaining: 2 });
    expect(shared.calls).toBe(0);
    await store.consume('k', rule, 0, 2);
    await store.consume('k', rule, 0, 1);
    expect(shared.calls).toBe(2);
    expect(await store.consume('k', rule, 0, 0)).toMatchObject({ remaining: 0 });
    expect(shared.calls).toBe(2);
  });
});
