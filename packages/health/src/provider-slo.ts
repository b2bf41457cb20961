import type { HealthWindowName } from './health-snapshot.js';

/** Service-level objectives of one provider. */
export interface ProviderSlo {
  /** Target fraction of counted calls that succeed, e.g. 0.999. Omit for no availability SLO. */
  readonly availability?: number;
  /** Target p95 latency in milliseconds: at most 5 % of successful calls may be slower. Omit for none. */
  readonly latencyP95Ms?: number;
}

/**
 * A multi-window burn-rate rule (Google SRE Workbook): alert when the error budget burns faster than
 * `factor` times the sustainable rate over both the long window (it matters) and the short one (it is
 * still happening, so the alert resolves soon after recovery).
 */
export interface BurnRateRule {
  /** Names the alert, e.g. `fast`. */
  readonly name: string;
  readonly longWindow: HealthWindowName;
  readonly shortWindow: HealthWindowName;
  /** Burn-rate multiple that fires, e.g. 14.4 (2 % of a 30-day budget in an hour). */
  readonly factor: number;
  readonly severity: AlertSeverity;
}

/** How urgent an alert is. */
export type AlertSeverity = 'page' | 'ticket' | 'critical' | 'warning';

/** The default rule: the SRE Workbook's fast burn, 14.4× over both 1 h and 5 min, which pages. */
export const defaultBurnRateRules: readonly BurnRateRule[] = [{ name: 'fast', longWindow: '1h', shortWindow: '5m', factor: 14.4, severity: 'page' }];

/**
 * Burn rate of an error budget: observed bad-event ratio divided by the allowed one. A ratio is only
 * trusted over `minimumVolume` events: below that it is diluted as if the rest were good.
 * @returns 0 when the budget is zero-width or nothing happened
 */
export function burnRate(bad: number, volume: number, allowedBadRatio: number, minimumVolume: number): number {
  if (allowedBadRatio <= 0 || volume === 0) return 0;
  return bad / Math.max(volume, minimumVolume) / allowedBadRatio;
}
