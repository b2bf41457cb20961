/** Weights of the three terms of the health score; they are normalised to sum to 1. */
export interface HealthScoreWeights {
  /** Weight of uptime over the last hour. Default 0.3. */
  readonly uptime?: number;
  /** Weight of the (volume-floored) success rate over 5 minutes. Default 0.4. */
  readonly errors?: number;
  /** Weight of latency against the objective over 5 minutes. Default 0.3. */
  readonly latency?: number;
}

/** What the score is computed from. */
export interface HealthScoreInputs {
  /** Fraction of the last hour the provider was up, in [0, 1]. */
  readonly uptime: number;
  /** Counted calls (successes + failures) over the window. */
  readonly volume: number;
  /** Failures over the window. */
  readonly failures: number;
  /** p95 latency over the window in milliseconds, or `null` without samples. */
  readonly p95Ms: number | null;
  /** Whether the provider is down right now (consecutive failures reached the threshold). */
  readonly down: boolean;
}

/** Tuning of the score. */
export interface HealthScoreOptions {
  readonly weights?: HealthScoreWeights;
  /** Below this many calls a failure ratio is diluted as if the rest had succeeded. Default 20. */
  readonly minimumVolume?: number;
  /** The latency objective (p95, milliseconds) at and under which latency scores 1. Default 500. */
  readonly latencyTargetMs?: number;
  /** The most a provider that is down right now can score. Default 0.2. */
  readonly downScoreCap?: number;
}

/**
 * The health score in [0, 1] (see README): `wU·uptime + wE·(1 − failures / max(volume, minimumVolume))
 * + wL·min(1, latencyTargetMs / p95)`, capped at `downScoreCap` while the provider is down. The volume
 * floor means two failures out of two calls cannot condemn a provider; the cap means a provider that just
 * went down ranks below every live one at once, before its hourly uptime has had time to fall.
 */
export function computeHealthScore(inputs: HealthScoreInputs, options: HealthScoreOptions = {}): number {
  const { minimumVolume = 20, latencyTargetMs = 500, downScoreCap = 0.2 } = options;
  const weightUptime = options.weights?.uptime ?? 0.3;
  const weightErrors = options.weights?.errors ?? 0.4;
  const weightLatency = options.weights?.latency ?? 0.3;
  const total = weightUptime + weightErrors + weightLatency;
  const errorRate = inputs.failures / Math.max(inputs.volume, minimumVolume, 1);
  const latencyScore = inputs.p95Ms === null || inputs.p95Ms <= 0 ? 1 : Math.min(1, latencyTargetMs / inputs.p95Ms);
  const raw = total <= 0 ? 1 : (weightUptime * clamp(inputs.uptime) + weightErrors * (1 - clamp(errorRate)) + weightLatency * latencyScore) / total;
  const score = inputs.down ? Math.min(raw, downScoreCap) : raw;
  return Math.round(clamp(score) * 10_000) / 10_000;
}

function clamp(value: number): number {
  return Math.min(1, Math.max(0, value));
}
