/**
 * @memgate/failover on the hot path: (1) strategy decision time per call for each of the five
 * strategies over three members and a constructed health snapshot; (2) breaker + router overhead per
 * request through a failover pool of two in-memory providers (the decision's `overheadMs`: total time
 * minus member time), and the end-to-end difference between `pool.get` and the member's own `get`.
 * Target: p99 under 20 µs.
 */
import { createFailoverPool, resolveStrategy, routingStrategyNames, type RoutingCandidate } from '@memgate/failover';
import type { HealthSnapshot, ProviderHealthSnapshot } from '@memgate/health';
import { createInMemoryMemoryProvider } from '@memgate/testkit';
import type { BenchFigure } from './bench-figure.js';
import { percentile, round } from './latency-percentiles.js';

const strategySamples = 50_000;
const requestSamples = 20_000;
const warmup = 2_000;

function providerSnapshot(name: string, score: number, p95: number): ProviderHealthSnapshot {
  const window = { volume: 500, successes: 490, failures: 10, successRate: 0.98, latencyMs: { p50: p95 / 2, p95, p99: p95 * 1.5 } };
  return { provider: name, status: 'healthy', score, up: true, uptime: 1, consecutiveFailures: 0, lastSuccessAt: 1, lastFailureAt: 1, lastError: null, coolingDownUntil: null, configFault: null, windows: { '1m': window, '5m': window, '1h': window } };
}

function benchStrategies(): BenchFigure[] {
  const candidates: RoutingCandidate[] = [
    { name: 'primary', priority: 0, weight: 2 },
    { name: 'backup', priority: 1, weight: 1 },
    { name: 'mem0', priority: 2, weight: 1 },
  ];
  const health: HealthSnapshot = { at: 1, providers: { primary: providerSnapshot('primary', 0.92, 40), backup: providerSnapshot('backup', 0.97, 25), mem0: providerSnapshot('mem0', 0.8, 180) } };
  const figures: BenchFigure[] = [];
  for (const name of routingStrategyNames) {
    const strategy = resolveStrategy(name);
    const samples: number[] = [];
    let sink = 0;
    for (let index = 0; index < warmup + strategySamples; index += 1) {
      const started = performance.now();
      sink += strategy(candidates, { health, sequence: index }).length;
      const elapsed = performance.now() - started;
      if (index >= warmup) samples.push(elapsed * 1000);
    }
    if (sink === 0) throw new Error('strategy returned nothing');
    const details = `${strategySamples} calls, 3 members, constructed snapshot; each call timed with performance.now() (includes ~0.1 µs timer cost)`;
    figures.push({ name: `failover: ${name} strategy decision p50`, value: round(percentile(samples, 50), 2), unit: 'µs', details }, { name: `failover: ${name} strategy decision p99`, value: round(percentile(samples, 99), 2), unit: 'µs', details });
  }
  return figures;
}

async function benchRouter(): Promise<BenchFigure[]> {
  const primary = createInMemoryMemoryProvider({ name: 'primary' });
  const backup = createInMemoryMemoryProvider({ name: 'backup' });
  const pool = createFailoverPool({ name: 'bench', providers: [{ provider: primary }, { provider: backup }], strategy: 'hybrid', onError: () => {} });
  const [stored] = await primary.add([{ userId: 'bench-user', memory: 'the benchmark memory' }]);
  const id = stored!.id;
  const overhead: number[] = [];
  const viaPool: number[] = [];
  const direct: number[] = [];
  try {
    for (let index = 0; index < warmup + requestSamples; index += 1) {
      let started = performance.now();
      await primary.get(id);
      const directMs = performance.now() - started;
      started = performance.now();
      let overheadMs = 0;
      await pool.get(id, { onDecision: (decision) => (overheadMs = decision.overheadMs) });
      const poolMs = performance.now() - started;
      if (index < warmup) continue;
      direct.push(directMs * 1000);
      viaPool.push(poolMs * 1000);
      overhead.push(overheadMs * 1000);
    }
  } finally {
    await pool.close();
  }
  const details = `${requestSamples} sequential get() through a pool of 2 in-memory providers, hybrid strategy, own health monitor, decision history on`;
  const added = viaPool.map((value, index) => value - direct[index]!);
  return [
    { name: 'failover: breaker + router overhead p50', value: round(percentile(overhead, 50), 2), unit: 'µs', details: `${details}; the decision's overheadMs (total minus member time)` },
    { name: 'failover: breaker + router overhead p99', value: round(percentile(overhead, 99), 2), unit: 'µs', details: `${details}; the decision's overheadMs (total minus member time)` },
    { name: 'failover: pool.get minus direct get p50', value: round(percentile(added, 50), 2), unit: 'µs', details },
    { name: 'failover: pool.get minus direct get p99', value: round(percentile(added, 99), 2), unit: 'µs', details },
  ];
}

/** Runs the strategy and router benchmarks (in process, no I/O). */
export async function run(): Promise<BenchFigure[]> {
  return [...benchStrategies(), ...(await benchRouter())];
}
