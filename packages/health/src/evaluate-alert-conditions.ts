import type { AlertCondition } from './health-alert.js';
import type { ProviderHealth } from './provider-health.js';
import { burnRate, type BurnRateRule } from './provider-slo.js';

/** Thresholds of the built-in alert rules. */
export interface AlertThresholds {
  /** `provider-down` fires at this many consecutive failures. Default: the monitor's `downAfterFailures` (3). */
  readonly consecutiveFailures?: number;
  /** `health-score-low` fires below this score, once the 5-minute volume reaches `minimumVolume`. Default 0.5. */
  readonly scoreBelow?: number;
}

/** Everything the rules need besides the provider's state. */
export interface AlertEvaluationSettings {
  readonly consecutiveFailures: number;
  readonly scoreBelow: number;
  readonly minimumVolume: number;
  readonly burnRateRules: readonly BurnRateRule[];
}

/** The verdict of every alert rule for one provider at `now`. */
export function evaluateAlertConditions(health: ProviderHealth, now: number, settings: AlertEvaluationSettings): AlertCondition[] {
  const snapshot = health.snapshot(now);
  const conditions: AlertCondition[] = [
    { rule: 'provider-down', active: health.consecutiveFailures >= settings.consecutiveFailures, severity: 'critical', summary: `${health.name}: ${health.consecutiveFailures} consecutive failures`, value: health.consecutiveFailures, threshold: settings.consecutiveFailures },
    { rule: 'config-fault', active: health.configFault !== null, severity: 'critical', summary: `${health.name} rejected our credentials: ${health.configFault?.message ?? 'cleared'}`, value: health.configFault ? 1 : 0, threshold: 1 },
    {
      rule: 'health-score-low',
      active: snapshot.windows['5m'].volume >= settings.minimumVolume && snapshot.score < settings.scoreBelow,
      severity: 'warning',
      summary: `${health.name}: health score ${snapshot.score}`,
      value: snapshot.score,
      threshold: settings.scoreBelow,
    },
  ];
  const { availability, latencyP95Ms } = health.slo;
  for (const rule of settings.burnRateRules) {
    const long = health.counts(rule.longWindow, now);
    const short = health.counts(rule.shortWindow, now);
    if (availability !== undefined) {
      const allowed = 1 - availability;
      const rate = Math.min(burnRate(long.failures, long.volume, allowed, settings.minimumVolume), burnRate(short.failures, short.volume, allowed, settings.minimumVolume));
      conditions.push({ rule: `slo-availability-${rule.name}`, active: rate >= rule.factor, severity: rule.severity, summary: `${health.name}: availability budget burning ${round(rate)}× (${rule.longWindow} and ${rule.shortWindow})`, value: round(rate), threshold: rule.factor });
    }
    if (latencyP95Ms !== undefined) {
      const rate = Math.min(burnRate(long.slow, long.volume, 0.05, settings.minimumVolume), burnRate(short.slow, short.volume, 0.05, settings.minimumVolume));
      conditions.push({ rule: `slo-latency-${rule.name}`, active: rate >= rule.factor, severity: rule.severity, summary: `${health.name}: latency budget (p95 ≤ ${latencyP95Ms} ms) burning ${round(rate)}×`, value: round(rate), threshold: rule.factor });
    }
  }
  return conditions;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
