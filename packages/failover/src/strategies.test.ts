import type { HealthSnapshot, HealthStatus, ProviderHealthSnapshot } from '@memgate/health';
import { describe, expect, it } from 'vitest';
import { healthStrategy } from './health-strategy.js';
import { createHybridStrategy, hybridStrategy } from './hybrid-strategy.js';
import { createPerformanceStrategy, performanceStrategy } from './performance-strategy.js';
import { priorityStrategy } from './priority-strategy.js';
import { resolveStrategy } from './resolve-strategy.js';
import { roundRobinStrategy } from './round-robin-strategy.js';
import type { RoutingCandidate, RoutingStrategy } from './routing-strategy.js';

const window = (p95: number | null) => ({ volume: 100, successes: 100, failures: 0, successRate: 1, latencyMs: p95 === null ? null : { p50: p95 / 2, p95, p99: p95 * 2 } });
function provider(name: string, score: number, p95: number | null, status: HealthStatus = 'healthy'): ProviderHealthSnapshot {
  return { provider: name, status, score, up: status !== 'unhealthy', uptime: 1, consecutiveFailures: 0, lastSuccessAt: 1, lastFailureAt: null, lastError: null, coolingDownUntil: null, configFault: null, windows: { '1m': window(p95), '5m': window(p95), '1h': window(p95) } };
}
function snapshot(...providers: ProviderHealthSnapshot[]): HealthSnapshot {
  return { at: 1, providers: Object.fromEntries(providers.map((entry) => [entry.provider, entry])) };
}
const candidate = (name: string, priority: number, weight = 1): RoutingCandidate => ({ name, priority, weight });
const names = (strategy: RoutingStrategy, candidates: RoutingCandidate[], health: HealthSnapshot, sequence = 0): string[] => strategy(candidates, { health, sequence }).map((entry) => entry.name);

const a = candidate('a', 1);
const b = candidate('b', 2);
const c = candidate('c', 3);
const empty = snapshot();

describe('priority strategy', () => {
  it('puts the lower priority number first, whatever the health', () => {
    expect(names(priorityStrategy, [c, a, b], snapshot(provider('a', 0.1, 900, 'unhealthy'), provider('b', 1, 5)))).toEqual(['a', 'b', 'c']);
  });
  it('breaks ties by name, so equal priorities order deterministically', () => {
    expect(names(priorityStrategy, [candidate('zeta', 1), candidate('alpha', 1), candidate('mid', 0)], empty)).toEqual(['mid', 'alpha', 'zeta']);
  });
  it('does not reorder the caller’s array', () => {
    const input = [c, a, b];
    priorityStrategy(input, { health: empty, sequence: 0 });
    expect(input.map((entry) => entry.name)).toEqual(['c', 'a', 'b']);
  });
});

describe('health strategy', () => {
  it('puts the highest score first', () => {
    expect(names(healthStrategy, [a, b, c], snapshot(provider('a', 0.6, 10), provider('b', 0.9, 10), provider('c', 0.75, 10)))).toEqual(['b', 'c', 'a']);
  });
  it('ranks a member without data at 0.5: above a sick member, below a healthy one', () => {
    expect(names(healthStrategy, [a, b, c], snapshot(provider('a', 0.3, 10), provider('c', 0.9, 10)))).toEqual(['c', 'b', 'a']);
  });
  it('breaks equal scores by priority then name, and keeps an order when all are unhealthy', () => {
    expect(names(healthStrategy, [c, b, a], snapshot(provider('a', 0.2, 10, 'unhealthy'), provider('b', 0.2, 10, 'unhealthy'), provider('c', 0.1, 10, 'unhealthy')))).toEqual(['a', 'b', 'c']);
    expect(names(healthStrategy, [c, b, a], empty)).toEqual(['a', 'b', 'c']);
  });
});

describe('performance strategy', () => {
  it('ranks by the median, so a few cold-start spikes in a member\'s tail do not hide that the other is slow on most calls', () => {
    const spiky = provider('a', 1, 300);
    const quantiles = { p50: 4, p95: 300, p99: 400 };
    const withSpikes = { ...spiky, windows: { ...spiky.windows, '1m': { ...spiky.windows['1m'], volume: 20, latencyMs: quantiles } } };
    const slowed = provider('b', 1, 120);
    const slowOnEveryCall = { ...slowed, windows: { ...slowed.windows, '1m': { ...slowed.windows['1m'], latencyMs: { p50: 110, p95: 120, p99: 130 } } } };
    expect(names(performanceStrategy, [b, a], snapshot(withSpikes, slowOnEveryCall))).toEqual(['a', 'b']);
  });

  it('puts the lowest p95 latency first', () => {
    expect(names(performanceStrategy, [a, b, c], snapshot(provider('a', 1, 300), provider('b', 1, 20), provider('c', 1, 80)))).toEqual(['b', 'c', 'a']);
  });
  it('puts members without latency data first, by priority, so they get measured', () => {
    expect(names(performanceStrategy, [a, b, c], snapshot(provider('a', 1, 5)))).toEqual(['b', 'c', 'a']);
  });
  it('breaks equal latencies by priority then name', () => {
    expect(names(performanceStrategy, [c, b, a], snapshot(provider('a', 1, 50), provider('b', 1, 50), provider('c', 1, 50)))).toEqual(['a', 'b', 'c']);
  });
  it('judges on the last minute only: old slow figures in the longer windows do not condemn a member', () => {
    const recovered = { ...provider('a', 1, 300), windows: { ...provider('a', 1, 300).windows, '1m': window(10) } };
    expect(names(performanceStrategy, [b, a], snapshot(recovered, provider('b', 1, 40)))).toEqual(['a', 'b']);
  });
  it('treats a p95 from too few recent samples as unknown, so a cold-start blip does not condemn a member', () => {
    const few = (name: string, p95: number, volume: number): ProviderHealthSnapshot => ({ ...provider(name, 1, p95), windows: { ...provider(name, 1, p95).windows, '1m': { ...window(p95), volume } } });
    // a: 3 samples at 400 ms (cold start) -> unknown -> measured first; b has enough samples and is slow-ish.
    expect(names(performanceStrategy, [a, b], snapshot(few('a', 400, 3), provider('b', 1, 110)))).toEqual(['a', 'b']);
    expect(names(performanceStrategy, [a, b], snapshot(few('a', 400, 5), provider('b', 1, 110)))).toEqual(['b', 'a']);
    expect(names(createPerformanceStrategy({ minimumSamples: 2 }), [a, b], snapshot(few('a', 400, 3), provider('b', 1, 110)))).toEqual(['b', 'a']);
  });
  it('sends every tenth request to the least recently measured other member, so a slow verdict is revisited', () => {
    const measured = (name: string, p95: number, volume: number): ProviderHealthSnapshot => ({ ...provider(name, 1, p95), windows: { ...provider(name, 1, p95).windows, '1m': { ...window(p95), volume } } });
    const health = snapshot(measured('a', 300, 6), measured('b', 20, 500), measured('c', 80, 50));
    expect(names(performanceStrategy, [a, b, c], health, 8)).toEqual(['b', 'c', 'a']);
    expect(names(performanceStrategy, [a, b, c], health, 9)).toEqual(['a', 'b', 'c']);
    expect(names(performanceStrategy, [a, b, c], health, 19)).toEqual(['a', 'b', 'c']);
    expect(names(createPerformanceStrategy({ explorationInterval: 0 }), [a, b, c], health, 9)).toEqual(['b', 'c', 'a']);
    expect(names(createPerformanceStrategy({ explorationInterval: 4 }), [a, b, c], health, 3)).toEqual(['a', 'b', 'c']);
  });
});

describe('round-robin strategy', () => {
  it('rotates the first member with the request sequence and keeps the rest as fallbacks', () => {
    expect([0, 1, 2, 3].map((sequence) => names(roundRobinStrategy, [c, b, a], empty, sequence))).toEqual([
      ['a', 'b', 'c'],
      ['b', 'c', 'a'],
      ['c', 'a', 'b'],
      ['a', 'b', 'c'],
    ]);
  });
  it('spreads weights smoothly (2:1 gives a, b, a)', () => {
    const heavy = candidate('a', 1, 2);
    expect([0, 1, 2, 3, 4, 5].map((sequence) => names(roundRobinStrategy, [heavy, b], empty, sequence)[0])).toEqual(['a', 'b', 'a', 'a', 'b', 'a']);
  });
  it('handles one and zero candidates', () => {
    expect(names(roundRobinStrategy, [a], empty, 7)).toEqual(['a']);
    expect(names(roundRobinStrategy, [], empty, 7)).toEqual([]);
  });
});

describe('hybrid strategy', () => {
  it('weighs health 0.4, performance 0.4 and priority 0.2', () => {
    // a: 0.4*0.5 + 0.4*(20/100) + 0.2*1 = 0.48; b: 0.4*1 + 0.4*1 + 0.2*0.5 = 0.9; c: 0.4*0.9 + 0.4*(20/40) + 0 = 0.56
    expect(names(hybridStrategy, [a, b, c], snapshot(provider('a', 0.5, 100), provider('b', 1, 20), provider('c', 0.9, 40)))).toEqual(['b', 'c', 'a']);
  });
  it('follows custom weights: priority only reduces to the priority order', () => {
    const priorityOnly = createHybridStrategy({ health: 0, performance: 0, priority: 1 });
    expect(names(priorityOnly, [c, b, a], snapshot(provider('a', 0.1, 900), provider('b', 1, 1), provider('c', 1, 1)))).toEqual(['a', 'b', 'c']);
  });
  it('counts missing data as 0.5 and breaks ties by priority then name', () => {
    expect(names(hybridStrategy, [c, b, a], empty)).toEqual(['a', 'b', 'c']);
    expect(names(hybridStrategy, [candidate('y', 1), candidate('x', 1)], empty)).toEqual(['x', 'y']);
  });
  it('puts unmeasured members first on every tenth request, so a lone measured member cannot keep all traffic', () => {
    const health = snapshot(provider('a', 1, 300));
    expect(names(hybridStrategy, [a, b], health, 8)).toEqual(['a', 'b']);
    expect(names(hybridStrategy, [a, b], health, 9)).toEqual(['b', 'a']);
    expect(names(createHybridStrategy({ explorationInterval: 0 }), [a, b], health, 9)).toEqual(['a', 'b']);
  });

  it('judges latency on the last minute (from minimumSamples calls), and keeps measuring the least recent member', () => {
    // With minimumSamples 5, b's p95 of 300 ms from three calls (a cold start) does not count: b's performance term is 0.5, not 0.
    const coldStart = (name: string) => ({ ...provider(name, 1, 300), windows: { ...provider(name, 1, 300).windows, '1m': { ...window(300), volume: 3, successes: 3 } } });
    const slowedA = provider('a', 1, 110);
    // a: 0.4 + 0.4*1 (the only measured p95) + 0.2 = 1.0; b: 0.4 + 0.4*0.5 = 0.6 — then b, measured fast, overtakes a slowed a.
    expect(names(createHybridStrategy({ explorationInterval: 0, minimumSamples: 5 }), [a, b], snapshot(slowedA, coldStart('b')))).toEqual(['a', 'b']);
    expect(names(createHybridStrategy({ explorationInterval: 0 }), [a, b], snapshot(slowedA, provider('b', 1, 8)))).toEqual(['b', 'a']);
    // Every tenth request goes to the other member with the fewest recent calls, measured or not.
    const both = snapshot(provider('a', 1, 8), { ...provider('b', 1, 9), windows: { ...provider('b', 1, 9).windows, '1m': { ...window(9), volume: 6, successes: 6 } } });
    expect(names(hybridStrategy, [a, b], both, 8)).toEqual(['a', 'b']);
    expect(names(hybridStrategy, [a, b], both, 9)).toEqual(['b', 'a']);
  });

  it('still orders every member when all are unhealthy', () => {
    const all = snapshot(provider('a', 0.1, 500, 'unhealthy'), provider('b', 0.2, 500, 'unhealthy'), provider('c', 0.15, 100, 'unhealthy'));
    expect(names(hybridStrategy, [a, b, c], all)).toEqual(['c', 'a', 'b']);
  });
});

describe('resolveStrategy', () => {
  it('names every strategy and rejects an unknown name with a field', () => {
    expect(resolveStrategy('priority')).toBe(priorityStrategy);
    expect(resolveStrategy(healthStrategy)).toBe(healthStrategy);
    expect(() => resolveStrategy('fastest' as never)).toThrow(expect.objectContaining({ field: 'strategy' }));
  });
});
