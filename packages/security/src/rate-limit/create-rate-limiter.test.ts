import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './create-rate-limiter.js';
import { createInMemoryRateLimitStore } from './rate-limit-store.js';

const setup = (capacity: number, refillPerSecond: number) => {
  const clock = { now: 0 };
  const limiter = createRateLimiter({ rule: { capacity, refillPerSecond }, now: () => clock.now });
  return { clock, limiter };
};

describe('createRateLimiter', () => {
  it('admits a burst of capacity, then refuses with RateLimitedError and the wait until the next token', async () => {
    const { limiter } = setup(3, 0.5);
    for (let index = 0; index < 3; index += 1) await limiter.consume('key:a');
    await expect(limiter.consume('key:a')).rejects.toMatchObject({ name: 'Memory_RateLimitedError', retryAfterMs: 2000 });
  });

  it('refills continuously with the injected clock', async () => {
    const { limiter, clock } = setup(2, 1);
    await limiter.consume('k');
    await limiter.consume('k');
    clock.now += 500;
    await expect(limiter.consume('k')).rejects.toMatchObject({ retryAfterMs: 500 });
    clock.now += 500;
    await expect(limiter.consume('k')).resolves.toMatchObject({ remaining: 0 });
    clock.now += 60_000;
    await expect(limiter.consume('k')).resolves.toMatchObject({ remaining: 1 });
  });

  it('keeps one bucket per key', async () => {
    const { limiter } = setup(1, 1);
    await limiter.consume('key:a');
    await expect(limiter.consume('key:a')).rejects.toMatchObject({ name: 'Memory_RateLimitedError' });
    await expect(limiter.consume('key:b')).resolves.toMatchObject({ allowed: true });
  });

  it('works as a daily quota and never admits a cost above capacity', async () => {
    const { limiter, clock } = setup(2, 2 / 86_400);
    await limiter.consume('q', 2);
    await expect(limiter.consume('q')).rejects.toMatchObject({ retryAfterMs: 43_200_000 });
    clock.now += 86_400_000;
    await expect(limiter.consume('q', 3)).rejects.toMatchObject({ retryAfterMs: undefined });
  });

  it('evicts the least recently used bucket beyond maxKeys, and an evicted bucket never comes back full', async () => {
    const clock = { now: 0 };
    const limiter = createRateLimiter({ rule: { capacity: 1, refillPerSecond: 1 }, store: createInMemoryRateLimitStore(2), now: () => clock.now });
    await limiter.consume('a');
    await limiter.consume('b');
    await limiter.consume('c'); // evicts a, which was empty
    await expect(limiter.consume('a')).rejects.toMatchObject({ name: 'Memory_RateLimitedError', retryAfterMs: 1000 });
    clock.now += 1000;
    await expect(limiter.consume('a')).resolves.toMatchObject({ allowed: true });
  });

  it('names the bad rule field', () => {
    expect(() => createRateLimiter({ rule: { capacity: 0, refillPerSecond: 1 } })).toThrow(expect.objectContaining({ field: 'rule.capacity' }));
    expect(() => createRateLimiter({ rule: { capacity: 1, refillPerSecond: -1 } })).toThrow(expect.objectContaining({ field: 'rule.refillPerSecond' }));
  });
});
