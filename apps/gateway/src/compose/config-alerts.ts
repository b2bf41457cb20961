import type { HealthMonitorOptions, ServiceLevelObjective, ThresholdReadings } from '@memgate/health';
import type { AlertsConfig } from '@memgate/registry';
import type { LiveFailoverPool } from './live-failover-pool.js';

/**
 * The config's `alerts.slos` and `alerts.rules` as health monitor options: objectives by provider (`*`
 * for every provider), threshold rules, and the evaluation interval. Translation only: the monitor
 * evaluates them, fires and resolves their alerts through its listeners and webhooks.
 */
export function configAlertOptions(alerts: AlertsConfig | undefined): Pick<HealthMonitorOptions, 'objectives' | 'thresholdRules' | 'objectiveEvaluationIntervalMs'> {
  const objectives: Record<string, ServiceLevelObjective[]> = {};
  for (const slo of alerts?.slos ?? []) {
    (objectives[slo.provider] ??= []).push({
      name: slo.name,
      indicator: slo.sli,
      objective: slo.objective,
      ...(slo.threshold_ms === undefined ? {} : { thresholdMs: slo.threshold_ms }),
      ...(slo.minimum_volume === undefined ? {} : { minimumVolume: slo.minimum_volume }),
      ...(slo.windows ? { windows: slo.windows.map((window) => ({ name: window.name, longWindowMs: window.long_window_ms, shortWindowMs: window.short_window_ms, factor: window.burn_rate, severity: window.severity })) } : {}),
    });
  }
  const thresholdRules = (alerts?.rules ?? []).map((rule) => ({
    name: rule.name,
    provider: rule.provider,
    metric: rule.metric,
    severity: rule.severity,
    ...(rule.above === undefined ? {} : { above: rule.above }),
    ...(rule.below === undefined ? {} : { below: rule.below }),
    ...(rule.window === undefined ? {} : { window: rule.window }),
    ...(rule.minimum_volume === undefined ? {} : { minimumVolume: rule.minimum_volume }),
    ...(rule.for_ms === undefined ? {} : { forMs: rule.for_ms }),
  }));
  return { objectives, thresholdRules, ...(alerts?.evaluation_interval_ms === undefined ? {} : { objectiveEvaluationIntervalMs: alerts.evaluation_interval_ms }) };
}

/**
 * The threshold readings only the pool knows (each member's replication backlog), for the monitor's
 * `readings`. The pool is built after the monitor, so it is looked up at each call; none before it exists.
 */
export function poolReadings(pool: () => LiveFailoverPool | undefined): (provider: string) => ThresholdReadings {
  return (provider) => {
    const backlog = pool()
      ?.statistics()
      .members.find((member) => member.name === provider)?.journalBacklog;
    return backlog ? { backlog_entries: backlog.entries, backlog_bytes: backlog.bytes } : {};
  };
}
