import type { AlertSeverity } from './provider-slo.js';

/** What a service-level indicator counts as a bad event. */
export type ServiceLevelIndicator = 'availability' | 'latency';

/**
 * One window pair of a multi-window, multi-burn-rate alert (Google SRE Workbook, chapter 5): the alert
 * fires while the error budget burns at least `factor` times faster than sustainable over **both** the
 * long window (enough budget is gone to matter) and the short one (it is still happening, so the alert
 * resolves soon after recovery).
 */
export interface BurnRateWindow {
  /** Names the alert, with the objective's name: `slo-<objective>-<window>`. */
  readonly name: string;
  /** Long window in milliseconds, e.g. 3 600 000 (1 h). */
  readonly longWindowMs: number;
  /** Short window in milliseconds, e.g. 300 000 (5 min); at most `longWindowMs`. */
  readonly shortWindowMs: number;
  /** Burn-rate multiple that fires, e.g. 14.4 (2 % of a 30-day budget in an hour). */
  readonly factor: number;
  readonly severity: AlertSeverity;
}

/** A named service-level objective of one provider (or of every provider). */
export interface ServiceLevelObjective {
  /** Names the objective in alerts and metrics (`slo` label), e.g. `availability`. */
  readonly name: string;
  /**
   * `availability`: a counted failure (request or probe) is a bad event. `latency`: a successful request
   * slower than `thresholdMs` is a bad event, out of successful requests (probes do not count).
   */
  readonly indicator: ServiceLevelIndicator;
  /** Target fraction of good events in (0, 1), e.g. 0.999. The error budget is `1 - objective`. */
  readonly objective: number;
  /** For `latency`: the slowest a good call may be, in milliseconds. */
  readonly thresholdMs?: number;
  /** The burn-rate alerts. Default {@link defaultBurnRateWindows}. */
  readonly windows?: readonly BurnRateWindow[];
  /** A ratio is trusted over this many events; below it the rest count as good. Default: the monitor's `score.minimumVolume` (20). */
  readonly minimumVolume?: number;
}

const minute = 60_000;
const hour = 60 * minute;

/**
 * The SRE Workbook's recommended multiwindow, multi-burn-rate alerts for a 30-day budget: 2 % of it in
 * an hour (14.4× over 1 h and 5 min) and 5 % in six hours (6× over 6 h and 30 min) page; 10 % in three
 * days (1× over 3 d and 6 h) opens a ticket.
 */
export const defaultBurnRateWindows: readonly BurnRateWindow[] = [
  { name: 'fast', longWindowMs: hour, shortWindowMs: 5 * minute, factor: 14.4, severity: 'page' },
  { name: 'slow', longWindowMs: 6 * hour, shortWindowMs: 30 * minute, factor: 6, severity: 'page' },
  { name: 'ticket', longWindowMs: 72 * hour, shortWindowMs: 6 * hour, factor: 1, severity: 'ticket' },
];

/** A window length as Prometheus writes durations: `5m`, `1h`, `3d`, `2s`, `1500ms`. */
export function formatWindow(windowMs: number): string {
  for (const [unit, size] of [['d', 24 * hour], ['h', hour], ['m', minute], ['s', 1000]] as const) {
    if (windowMs >= size && windowMs % size === 0) return `${windowMs / size}${unit}`;
  }
  return `${windowMs}ms`;
}
