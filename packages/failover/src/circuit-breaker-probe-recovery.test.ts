import { describe, expect, it } from 'vitest';
import { createCircuitBreaker, type CircuitBreakerOptions } from './circuit-breaker.js';
import type { CircuitStateChange } from './circuit-breaker-state.js';

function setup(options: Omit<CircuitBreakerOptions, 'now'> = {}) {
  let now = 1_000_000;
  const breaker = createCircuitBreaker({ consecutiveFailures: 1, failureRate: false, ...options, now: () => now });
  const changes: CircuitStateChange[] = [];
  breaker.onStateChange((change) => changes.push(change));
  const trip = (): void => breaker.tryAcquire()!.failure();
  const probes = (...results: boolean[]): void => results.forEach((result) => breaker.recordProbe(result));
  return { breaker, changes, trip, probes, advance: (ms: number) => void (now += ms) };
}

describe('circuit breaker: successful probes return an open member before its cooldown (auto-healing)', () => {
  it('goes half-open after two consecutive successful probes once it has been open 5 s, not after the 5-minute cooldown', () => {
    const { breaker, changes, trip, probes, advance } = setup();
    trip();
    advance(5_000);
    probes(true);
    expect(breaker.state).toBe('open');
    probes(true);
    expect(breaker.state).toBe('half-open');
    expect(changes.at(-1)).toMatchObject({ from: 'open', to: 'half-open', reason: 'probes-succeeded' });
    breaker.tryAcquire()!.success();
    expect(breaker.state).toBe('closed');
  });

  it('gives a Retry-After from the probes once probes feed it (the shortest open time left, or the probes still needed, at least 1 s), the cooldown without them', () => {
    const unprobed = setup();
    unprobed.trip();
    expect(unprobed.breaker.retryAfterMs()).toBe(300_000); // nothing probes it: only the cooldown returns it
    const { breaker, trip, probes, advance } = setup();
    probes(true);
    trip();
    expect(breaker.answersProbes()).toBe(false);
    expect(breaker.retryAfterMs()).toBe(10_000); // two successful probes, 5 s apart
    probes(true);
    expect(breaker.answersProbes()).toBe(true);
    expect(breaker.retryAfterMs()).toBe(5_000); // one more probe; the shortest open time (5 s) ends then too
    advance(4_500);
    expect(breaker.retryAfterMs()).toBe(5_000);
    probes(false);
    expect(breaker.answersProbes()).toBe(false);
    advance(10_000);
    expect(breaker.retryAfterMs()).toBe(10_000);
    const limited = setup();
    limited.probes(true, true);
    limited.breaker.tryAcquire()!.rateLimited(42_000);
    expect(limited.breaker.answersProbes()).toBe(false); // the provider asked to wait: probes do not shorten it
    expect(limited.breaker.retryAfterMs()).toBe(42_000);
  });

  it('does not return a member open for less than the shortest open time, and returns it as soon as that time has passed', () => {
    const { breaker, trip, probes, advance } = setup();
    trip();
    advance(1_000);
    probes(true, true, true);
    expect(breaker.state).toBe('open');
    advance(3_999);
    expect(breaker.state).toBe('open');
    advance(1);
    expect(breaker.state).toBe('half-open');
  });

  it('starts counting again after a failed probe', () => {
    const { breaker, trip, probes, advance } = setup();
    trip();
    advance(10_000);
    probes(true, false, true);
    expect(breaker.state).toBe('open');
    probes(true);
    expect(breaker.state).toBe('half-open');
  });

  it('doubles the shortest open time at each reopen in a row, so a flapping member cannot oscillate faster (5 s, 10 s, 20 s)', () => {
    const { breaker, trip, probes, advance } = setup();
    trip();
    for (const shortest of [5_000, 10_000, 20_000]) {
      advance(shortest - 1);
      probes(true, true);
      expect(breaker.state).toBe('open');
      advance(1);
      expect(breaker.state).toBe('half-open');
      breaker.tryAcquire()!.failure(); // the trial fails: open again
      expect(breaker.toJSON()).toMatchObject({ state: 'open', lastReason: 'trial-failed' });
    }
    expect(breaker.toJSON().reopenStreak).toBe(4);
  });

  it('starts the doubling over after the member stayed closed for stableAfterMs', () => {
    const { breaker, trip, probes, advance } = setup({ probeRecovery: { stableAfterMs: 30_000 } });
    trip();
    advance(5_000);
    probes(true, true);
    breaker.tryAcquire()!.success();
    trip(); // reopened at once: the next early return needs 10 s
    advance(9_999);
    probes(true, true);
    expect(breaker.state).toBe('open');
    advance(1);
    breaker.tryAcquire()!.success();
    expect(breaker.state).toBe('closed');
    advance(30_000);
    trip(); // after a stable closed period: 5 s again
    advance(5_000);
    probes(true, true);
    expect(breaker.state).toBe('half-open');
  });

  it('never shortens a wait the provider asked for (rate limited), nor an operator isolation', () => {
    const { breaker, probes, advance } = setup();
    breaker.tryAcquire()!.rateLimited(60_000);
    advance(30_000);
    probes(true, true, true);
    expect(breaker.state).toBe('open');
    breaker.isolate();
    probes(true, true);
    expect(breaker.state).toBe('isolated');
  });

  it('keeps the cooldown as the only way back with probeRecovery: false, and the shortest open time never exceeds the cooldown', () => {
    const cooldownOnly = setup({ probeRecovery: false, cooldownMs: 60_000 });
    cooldownOnly.trip();
    cooldownOnly.advance(59_999);
    cooldownOnly.probes(true, true, true);
    expect(cooldownOnly.breaker.state).toBe('open');
    cooldownOnly.advance(1);
    expect(cooldownOnly.breaker.toJSON()).toMatchObject({ state: 'half-open', lastReason: 'cooldown-elapsed' });

    const shortCooldown = setup({ cooldownMs: 3_000, probeRecovery: { minOpenMs: 10_000 } });
    shortCooldown.trip();
    shortCooldown.advance(3_000);
    expect(shortCooldown.breaker.toJSON()).toMatchObject({ state: 'half-open', lastReason: 'cooldown-elapsed' });
  });

  it('ignores probes while closed or half-open', () => {
    const { breaker, trip, probes, advance } = setup();
    probes(false, false, false);
    expect(breaker.state).toBe('closed');
    trip();
    advance(300_000);
    expect(breaker.state).toBe('half-open');
    probes(false);
    expect(breaker.state).toBe('half-open');
  });
});
