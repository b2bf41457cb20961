import { describe, expect, it } from 'vitest';
import { RollingWindow } from './rolling-window.js';

describe('RollingWindow', () => {
  it('counts successes, failures and slow calls inside the window and forgets them after it', () => {
    const window = new RollingWindow(60_000, 12);
    const start = 1_000_000_000;
    window.record({ at: start, ok: true, latencyMs: 10, slow: false });
    window.record({ at: start + 1000, ok: false, slow: false });
    window.record({ at: start + 2000, ok: true, latencyMs: 900, slow: true });
    expect(window.counts(start + 3000)).toEqual({ volume: 3, successes: 2, failures: 1, slow: 1 });
    expect(window.counts(start + 61_000)).toEqual({ volume: 0, successes: 0, failures: 0, slow: 0 });
    expect(window.latency(start + 61_000)).toBeNull();
  });

  it('reports quantiles within the sketch accuracy of the exact ones', () => {
    const window = new RollingWindow(300_000, 10);
    const start = 2_000_000_000;
    const values: number[] = [];
    let seed = 42;
    for (let index = 0; index < 5000; index += 1) {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      const latency = 1 + (seed / 2 ** 31) ** 3 * 2000; // skewed, like real latencies
      values.push(latency);
      window.record({ at: start + index * 50, ok: true, latencyMs: latency, slow: false });
    }
    const sorted = [...values].sort((a, b) => a - b);
    const exact = (q: number): number => sorted[Math.ceil(q * sorted.length) - 1]!;
    const quantiles = window.latency(start + 250_000)!;
    for (const [q, value] of [[0.5, quantiles.p50], [0.95, quantiles.p95], [0.99, quantiles.p99]] as const) {
      expect(Math.abs(value - exact(q)) / exact(q)).toBeLessThan(0.03);
    }
  });

  it('drops a late sample whose bucket already holds newer time', () => {
    const window = new RollingWindow(60_000, 12);
    window.record({ at: 120_000, ok: true, slow: false });
    window.record({ at: 60_000, ok: false, slow: false }); // same ring slot, one window earlier
    expect(window.counts(120_000)).toEqual({ volume: 1, successes: 1, failures: 0, slow: 0 });
  });
});
