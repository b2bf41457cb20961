import type { AlertSeverity } from './provider-slo.js';
import type { ServiceLevelIndicator } from './service-level-objective.js';

/** Where one objective of one provider stands, as {@link HealthMonitor.objectiveStatus} reports it. */
export interface ObjectiveStatus {
  readonly provider: string;
  /** The objective's name. */
  readonly objective: string;
  readonly indicator: ServiceLevelIndicator;
  /** Target fraction of good events. */
  readonly target: number;
  readonly thresholdMs?: number;
  /** The burn rate over each distinct window length the objective's alerts use (1 = exactly on budget). */
  readonly burnRates: readonly { readonly window: string; readonly windowMs: number; readonly burnRate: number; readonly volume: number; readonly bad: number }[];
  /** Each burn-rate alert: the lower of its two windows' rates, and whether it fires. */
  readonly alerts: readonly { readonly rule: string; readonly window: string; readonly burnRate: number; readonly factor: number; readonly severity: AlertSeverity; readonly firing: boolean }[];
}
