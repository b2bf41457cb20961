import { describe, expect, it } from 'vitest';
import { computeHealthScore } from './health-score.js';

describe('computeHealthScore', () => {
  it('is 1 for a provider that is up, error-free and within its latency target', () => {
    expect(computeHealthScore({ uptime: 1, volume: 100, failures: 0, p95Ms: 100, down: false })).toBe(1);
  });

  it('weighs uptime 0.3, errors 0.4 and latency 0.3 by default', () => {
    // uptime 0.5, error rate 0.25, p95 twice the 500 ms target -> 0.3*0.5 + 0.4*0.75 + 0.3*0.5
    expect(computeHealthScore({ uptime: 0.5, volume: 100, failures: 25, p95Ms: 1000, down: false })).toBe(0.6);
  });

  it('does not let a ratio over less than the minimum volume condemn a provider', () => {
    const twoOfTwo = computeHealthScore({ uptime: 1, volume: 2, failures: 2, p95Ms: null, down: false });
    expect(twoOfTwo).toBe(0.96); // 2 / max(2, 20) = 0.1 error rate
    expect(computeHealthScore({ uptime: 1, volume: 2, failures: 2, p95Ms: null, down: false }, { minimumVolume: 1 })).toBe(0.6);
  });

  it('caps a provider that is down right now below every live one', () => {
    expect(computeHealthScore({ uptime: 1, volume: 100, failures: 3, p95Ms: 50, down: true })).toBe(0.2);
  });

  it('honours custom weights and latency target', () => {
    expect(computeHealthScore({ uptime: 0, volume: 100, failures: 0, p95Ms: 200, down: false }, { weights: { uptime: 0, errors: 0, latency: 1 }, latencyTargetMs: 100 })).toBe(0.5);
  });
});
