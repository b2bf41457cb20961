import type { AlertCondition } from './health-alert.js';
import type { HealthWindowName, ProviderHealthSnapshot } from './health-snapshot.js';
import type { AlertSeverity } from './provider-slo.js';

/**
 * What a threshold rule compares. The monitor measures the first five itself; `backlog_entries` and
 * `backlog_bytes` (a member's replication backlog) come from the caller's `readings`.
 */
export type ThresholdMetric = 'health_score' | 'error_rate' | 'latency_p95_ms' | 'latency_p99_ms' | 'consecutive_failures' | 'backlog_entries' | 'backlog_bytes';

/** The threshold metrics, in a stable order. */
export const thresholdMetrics: readonly ThresholdMetric[] = ['health_score', 'error_rate', 'latency_p95_ms', 'latency_p99_ms', 'consecutive_failures', 'backlog_entries', 'backlog_bytes'];

/** An alert on one measured value: fires while it is above (or below) a threshold, for at least `forMs`. */
export interface ThresholdRule {
  /** The alert's rule name (the `rule` of its events), e.g. `mem0-errors`. */
  readonly name: string;
  /** A provider's name, or `*` (default) for every provider. */
  readonly provider?: string;
  readonly metric: ThresholdMetric;
  /** Fires while the value is greater than this. Exactly one of `above` and `below`. */
  readonly above?: number;
  /** Fires while the value is less than this. */
  readonly below?: number;
  /** For `error_rate` and latencies: the rolling window. Default `5m`. */
  readonly window?: HealthWindowName;
  /** `error_rate` counts only once the window holds this many calls. Default: the monitor's `score.minimumVolume` (20). */
  readonly minimumVolume?: number;
  /** The condition must hold this long (ms) before the alert fires (Prometheus' `for`). Default 0. */
  readonly forMs?: number;
  /** Default `warning`. */
  readonly severity?: AlertSeverity;
}

/** Values supplied by the caller, per provider, for the metrics the monitor cannot measure. */
export type ThresholdReadings = Readonly<Partial<Record<ThresholdMetric, number>>>;

/** The rule's value for one provider, or `undefined` when there is none (no traffic, no backlog reported). */
export function thresholdValue(rule: ThresholdRule, snapshot: ProviderHealthSnapshot, readings: ThresholdReadings, minimumVolume: number): number | undefined {
  const window = snapshot.windows[rule.window ?? '5m'];
  switch (rule.metric) {
    case 'health_score':
      return snapshot.status === 'unknown' ? undefined : snapshot.score;
    case 'error_rate':
      return window.volume > 0 && window.volume >= (rule.minimumVolume ?? minimumVolume) ? window.failures / window.volume : undefined;
    case 'latency_p95_ms':
      return window.latencyMs?.p95;
    case 'latency_p99_ms':
      return window.latencyMs?.p99;
    case 'consecutive_failures':
      return snapshot.consecutiveFailures;
    default:
      return readings[rule.metric];
  }
}

/**
 * The rules' verdicts for one provider. `pendingSince` keeps, per `<rule>:<provider>`, when a condition
 * started to hold, so a rule with `forMs` fires only once it has held that long.
 */
export function evaluateThresholdRules(rules: readonly ThresholdRule[], snapshot: ProviderHealthSnapshot, readings: ThresholdReadings, now: number, minimumVolume: number, pendingSince: Map<string, number>): AlertCondition[] {
  const conditions: AlertCondition[] = [];
  for (const rule of rules) {
    if (rule.provider !== undefined && rule.provider !== '*' && rule.provider !== snapshot.provider) continue;
    const value = thresholdValue(rule, snapshot, readings, minimumVolume);
    const threshold = rule.above ?? rule.below ?? 0;
    const holds = value !== undefined && (rule.above !== undefined ? value > rule.above : value < threshold);
    const key = `${rule.name}:${snapshot.provider}`;
    if (!holds) pendingSince.delete(key);
    else if (!pendingSince.has(key)) pendingSince.set(key, now);
    const active = holds && now - pendingSince.get(key)! >= (rule.forMs ?? 0);
    const comparison = rule.above !== undefined ? 'above' : 'below';
    conditions.push({
      rule: rule.name,
      active,
      severity: rule.severity ?? 'warning',
      summary: `${snapshot.provider}: ${rule.metric} ${value === undefined ? 'not measured' : round(value)} (alert ${rule.name}: ${comparison} ${threshold}${rule.forMs ? ` for ${rule.forMs} ms` : ''})`,
      value: value === undefined ? 0 : round(value),
      threshold,
    });
  }
  return conditions;
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
