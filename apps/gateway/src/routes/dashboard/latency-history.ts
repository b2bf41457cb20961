import type { HealthMonitor } from '@memgate/health';

/** One sample of a provider's last-minute latency percentiles (ms). */
export interface LatencySample {
  /** Epoch milliseconds. */
  readonly at: number;
  readonly p50: number | null;
  readonly p95: number | null;
  readonly p99: number | null;
}

/** Options of {@link createLatencyHistory}. */
export interface LatencyHistoryOptions {
  readonly health: Pick<HealthMonitor, 'snapshot'>;
  /** How often the 1-minute window is sampled, in ms. Default 15,000 (240 points an hour). */
  readonly intervalMs?: number;
  /** How far back samples are kept, in ms. Default one hour. */
  readonly keepMs?: number;
}

/** The last hour of each provider's p50/p95/p99, for the sparklines. */
export interface LatencyHistory {
  /** The samples of one provider, oldest first, ending with one taken now. Starts the sampler on first use. */
  series(provider: string): LatencySample[];
}

/**
 * Samples the health monitor's 1-minute latency window on a timer. The monitor keeps rolling windows
 * (1m, 5m, 1h) and hourly trends, not a minute-by-minute series, so the sparkline's points are taken
 * here, in memory. The timer starts when the dashboard is first read and is `unref`'d: it never
 * keeps the process alive.
 */
export function createLatencyHistory({ health, intervalMs = 15_000, keepMs = 3_600_000 }: LatencyHistoryOptions): LatencyHistory {
  const samples = new Map<string, LatencySample[]>();
  let timer: NodeJS.Timeout | undefined;
  const take = (provider: string, at: number): LatencySample => {
    const latency = health.snapshot(provider)?.windows['1m'].latencyMs ?? null;
    return { at, p50: latency?.p50 ?? null, p95: latency?.p95 ?? null, p99: latency?.p99 ?? null };
  };
  const sample = () => {
    const at = Date.now();
    for (const provider of Object.keys(health.snapshot().providers)) {
      const kept = (samples.get(provider) ?? []).filter((entry) => entry.at > at - keepMs);
      kept.push(take(provider, at));
      samples.set(provider, kept);
    }
  };
  return {
    series(provider) {
      if (!timer) {
        sample();
        timer = setInterval(sample, intervalMs);
        timer.unref();
      }
      return [...(samples.get(provider) ?? []), take(provider, Date.now())];
    },
  };
}
