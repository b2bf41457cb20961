import type { AlertSeverity } from './provider-slo.js';

/**
 * Alert rules. Built in: `provider-down`, `health-score-low`, `config-fault`; the `slos` option's burn
 * rules are `slo-availability-<rule>` and `slo-latency-<rule>`, an `objectives` entry's are
 * `slo-<objective>-<window>`; a threshold rule's is its own name. `replication-backlog` is reported by
 * the failover pool (a member past its journal backlog bound) through `reportCondition`.
 */
export type HealthAlertRule = 'provider-down' | 'health-score-low' | 'config-fault' | 'replication-backlog' | `slo-${string}` | (string & {});

/** One alert event: a rule started firing for a provider, or stopped. */
export interface HealthAlert {
  /** Stable across the alert's firing and resolved events: `<rule>:<provider>:<startedAt>`. */
  readonly id: string;
  readonly rule: HealthAlertRule;
  readonly provider: string;
  readonly state: 'firing' | 'resolved';
  readonly severity: AlertSeverity;
  /** One line for humans. */
  readonly summary: string;
  /** The measured value that crossed (or came back under) the threshold. */
  readonly value: number;
  readonly threshold: number;
  /** When the alert started firing (epoch milliseconds). */
  readonly startedAt: number;
  /** When it resolved, for `resolved` events. */
  readonly resolvedAt?: number;
}

/** Receives alert events. Exceptions it throws are caught and reported, never propagated into `observe`. */
export type HealthAlertListener = (alert: HealthAlert) => void;

/** A rule's verdict for one provider at one evaluation. */
export interface AlertCondition {
  readonly rule: HealthAlertRule;
  readonly active: boolean;
  readonly severity: AlertSeverity;
  readonly summary: string;
  readonly value: number;
  readonly threshold: number;
}
