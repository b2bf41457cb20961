import { describe, expect, it } from 'vitest';
import { createCircuitBreaker, type CircuitBreakerOptions } from './circuit-breaker.js';
import type { CircuitStateChange } from './circuit-breaker-state.js';

function setup(options: Omit<CircuitBreakerOptions, 'now'> = {}) {
  let now = 1_000_000;
  const breaker = createCircuitBreaker({ ...options, now: () => now });
  const changes: CircuitStateChange[] = [];
  breaker.onStateChange((change) => changes.push(change));
  const fail = (count = 1): void => {
    for (let index = 0; index < count; index += 1) breaker.tryAcquire()!.failure();
  };
  return { breaker, changes, fail, advance: (ms: number) => void (now += ms), now: () => now };
}

describe('circuit breaker', () => {
  it('opens after N consecutive failures and rejects calls during the cooldown', () => {
    const { breaker, changes, fail, now } = setup({ consecutiveFailures: 3, failureRate: false });
    fail(2);
    breaker.tryAcquire()!.success();
    fail(2);
    expect(breaker.state).toBe('closed');
    fail(1);
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire()).toBeUndefined();
    expect(breaker.retryAfterMs()).toBe(300_000);
    expect(changes).toEqual([{ from: 'closed', to: 'open', reason: 'consecutive-failures', at: now(), openUntil: now() + 300_000 }]);
  });

  it('opens on a failure rate over the window only once the minimum volume is reached', () => {
    const { breaker, fail } = setup({ consecutiveFailures: 100, failureRate: { threshold: 0.5, windowMs: 10_000, minimumVolume: 10 } });
    for (let index = 0; index < 4; index += 1) {
      breaker.tryAcquire()!.success();
      fail();
    }
    expect(breaker.state).toBe('closed'); // 4 of 8: ratio met, volume not
    breaker.tryAcquire()!.success();
    fail();
    expect(breaker.toJSON()).toMatchObject({ state: 'open', lastReason: 'failure-rate', trips: 1 });
  });

  it('forgets failures that slid out of the rate window', () => {
    const { breaker, fail, advance } = setup({ consecutiveFailures: 100, failureRate: { threshold: 0.5, windowMs: 10_000, minimumVolume: 4 } });
    fail(3);
    advance(11_000);
    breaker.tryAcquire()!.success();
    breaker.tryAcquire()!.success();
    breaker.tryAcquire()!.success();
    fail();
    expect(breaker.state).toBe('closed');
  });

  it('goes half-open after the cooldown and closes on a successful trial', () => {
    const { breaker, changes, fail, advance } = setup({ consecutiveFailures: 1, cooldownMs: 60_000 });
    fail();
    advance(59_999);
    expect(breaker.tryAcquire()).toBeUndefined();
    advance(1);
    const trial = breaker.tryAcquire()!;
    expect([trial.trial, breaker.state]).toEqual([true, 'half-open']);
    trial.success();
    expect(breaker.state).toBe('closed');
    expect(changes.map((change) => `${change.to}:${change.reason}`)).toEqual(['open:consecutive-failures', 'half-open:cooldown-elapsed', 'closed:trial-succeeded']);
  });

  it('admits only the capped number of concurrent trials in half-open and rejects the rest at once', () => {
    const { breaker, fail, advance } = setup({ consecutiveFailures: 1, cooldownMs: 1000, halfOpenMaxConcurrent: 2, halfOpenSuccessesToClose: 2 });
    fail();
    advance(1000);
    // Ten concurrent callers arrive: two get trial permits, eight are turned away without waiting.
    const permits = Array.from({ length: 10 }, () => breaker.tryAcquire());
    expect(permits.filter(Boolean)).toHaveLength(2);
    permits[0]!.success();
    expect(breaker.state).toBe('half-open');
    // A freed slot admits exactly one more trial.
    const third = breaker.tryAcquire();
    expect([Boolean(third), Boolean(breaker.tryAcquire())]).toEqual([true, false]);
    permits[1]!.success();
    expect(breaker.state).toBe('closed');
    // A trial of the finished episode counts as an ordinary failure (limit 1 here), not as a failed trial.
    third!.failure();
    expect(breaker.toJSON()).toMatchObject({ state: 'open', lastReason: 'consecutive-failures' });
  });

  it('reopens for a new cooldown when a trial fails, and a released trial frees its slot', () => {
    const { breaker, fail, advance } = setup({ consecutiveFailures: 1, cooldownMs: 1000 });
    fail();
    advance(1000);
    breaker.tryAcquire()!.release();
    const trial = breaker.tryAcquire()!;
    trial.failure();
    trial.success(); // settling twice is ignored
    expect(breaker.toJSON()).toMatchObject({ state: 'open', lastReason: 'trial-failed', trips: 2 });
    expect(breaker.retryAfterMs()).toBe(1000);
  });

  it('opens for exactly the Retry-After of a rate limit', () => {
    const { breaker, advance } = setup();
    breaker.tryAcquire()!.rateLimited(2500);
    expect(breaker.toJSON()).toMatchObject({ state: 'open', lastReason: 'rate-limited' });
    advance(2500);
    expect(breaker.state).toBe('half-open');
  });

  it('reads its cooldown at each trip, so a lone member can get a short one', () => {
    let solo = true;
    const { breaker, fail } = setup({ consecutiveFailures: 1, cooldownMs: () => (solo ? 5000 : 300_000) });
    fail();
    expect(breaker.retryAfterMs()).toBe(5000);
    breaker.reset();
    solo = false;
    fail();
    expect(breaker.retryAfterMs()).toBe(300_000);
  });

  it('stays isolated until reset, whatever happens', () => {
    const { breaker, advance } = setup({ cooldownMs: 10 });
    const inFlight = breaker.tryAcquire()!;
    breaker.isolate();
    inFlight.rateLimited(1);
    advance(1_000_000);
    expect([breaker.state, breaker.tryAcquire(), breaker.retryAfterMs()]).toEqual(['isolated', undefined, null]);
    breaker.reset();
    expect(breaker.state).toBe('closed');
  });

  it('serialises its state and restores it, a saved half-open coming back ready for a trial', () => {
    const { breaker, fail, now } = setup({ consecutiveFailures: 1, cooldownMs: 60_000 });
    fail();
    const saved = JSON.parse(JSON.stringify(breaker.toJSON()));
    expect(saved).toEqual({ state: 'open', consecutiveFailures: 1, openedAt: now(), openUntil: now() + 60_000, lastReason: 'consecutive-failures', trips: 1, reopenStreak: 1 });
    const restored = createCircuitBreaker({ initialState: saved, now });
    expect([restored.state, restored.retryAfterMs()]).toEqual(['open', 60_000]);
    const fromHalfOpen = createCircuitBreaker({ initialState: { ...saved, state: 'half-open', openUntil: null }, now });
    expect(fromHalfOpen.tryAcquire()?.trial).toBe(true);
  });
});
