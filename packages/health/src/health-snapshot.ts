import type { LatencyQuantiles } from './latency-quantiles.js';

/** The rolling windows every provider is measured over. */
export type HealthWindowName = '1m' | '5m' | '1h';

/** A provider's overall state, derived from its score and recent failures. */
export type HealthStatus = 'unknown' | 'healthy' | 'degraded' | 'unhealthy';

/** Statistics over one rolling window. */
export interface HealthWindowStats {
  /** Counted calls: successes + failures (caller errors, aborts and rate limits do not count). */
  readonly volume: number;
  readonly successes: number;
  readonly failures: number;
  /** successes / volume, or `null` when the volume is 0. */
  readonly successRate: number | null;
  /** Latency percentiles of successful calls (ms), or `null` without any. Within 1 % (DDSketch). */
  readonly latencyMs: LatencyQuantiles | null;
}

/** Everything the monitor knows about one provider at one instant. */
export interface ProviderHealthSnapshot {
  readonly provider: string;
  readonly status: HealthStatus;
  /** Health score in [0, 1]; see the README for the formula. */
  readonly score: number;
  /** Whether the provider is up (fewer consecutive failures than the down threshold). */
  readonly up: boolean;
  /** Fraction of the observed last hour the provider was up, in [0, 1]. */
  readonly uptime: number;
  readonly consecutiveFailures: number;
  /** Epoch milliseconds of the last success / counted failure, or `null`. */
  readonly lastSuccessAt: number | null;
  readonly lastFailureAt: number | null;
  /** The last counted failure's error name and message. */
  readonly lastError: { readonly name: string; readonly message: string; readonly at: number } | null;
  /** Until when (epoch ms) the provider asked us to back off after a rate limit, or `null`. */
  readonly coolingDownUntil: number | null;
  /** A credentials fault reported by the provider and not yet cleared by a success, or `null`. */
  readonly configFault: { readonly message: string; readonly at: number } | null;
  readonly windows: Readonly<Record<HealthWindowName, HealthWindowStats>>;
}

/** The monitor's view of every provider it knows, at one instant. */
export interface HealthSnapshot {
  /** When the snapshot was taken (epoch milliseconds). */
  readonly at: number;
  readonly providers: Readonly<Record<string, ProviderHealthSnapshot>>;
}
