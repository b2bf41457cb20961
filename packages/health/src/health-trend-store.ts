import type { LatencyQuantiles } from './latency-quantiles.js';

/** One provider's aggregate over one clock hour. */
export interface HealthTrendPoint {
  readonly provider: string;
  /** Start of the hour (epoch milliseconds, a multiple of 3 600 000). */
  readonly hourStart: number;
  /** Counted calls (successes + failures) in the hour. */
  readonly volume: number;
  readonly successes: number;
  readonly failures: number;
  /** Latency percentiles of the hour's successful calls (ms), or `null`. */
  readonly latencyMs: LatencyQuantiles | null;
  /** Fraction of the observed hour the provider was up. */
  readonly uptime: number;
  /** Health score over the hour's aggregates. */
  readonly score: number;
}

/**
 * Where hourly trends are kept. Small on purpose: `@memgate/state` implements it over drizzle;
 * {@link createInMemoryHealthTrendStore} is the default. A point written twice for the same provider and
 * hour replaces the first (the current hour is written several times as it fills).
 */
export interface HealthTrendStore {
  /** Inserts or replaces points, keyed by (provider, hourStart). */
  upsert(points: readonly HealthTrendPoint[]): Promise<void>;
  /** Points of one provider with `from <= hourStart < to`, oldest first. */
  query(provider: string, range: { readonly from: number; readonly to: number }): Promise<HealthTrendPoint[]>;
  /** Deletes every point with `hourStart < before`. @returns how many were deleted */
  prune(before: number): Promise<number>;
}

/** A {@link HealthTrendStore} in process memory (lost on restart). */
export function createInMemoryHealthTrendStore(): HealthTrendStore {
  const points = new Map<string, HealthTrendPoint>();
  return {
    async upsert(batch) {
      for (const point of batch) points.set(`${point.provider}\u0000${point.hourStart}`, point);
    },
    async query(provider, { from, to }) {
      return [...points.values()].filter((point) => point.provider === provider && point.hourStart >= from && point.hourStart < to).sort((a, b) => a.hourStart - b.hourStart);
    },
    async prune(before) {
      let deleted = 0;
      for (const [key, point] of points) {
        if (point.hourStart < before) {
          points.delete(key);
          deleted += 1;
        }
      }
      return deleted;
    },
  };
}
