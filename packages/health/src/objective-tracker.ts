import type { AlertCondition } from './health-alert.js';
import type { ObjectiveStatus } from './objective-status.js';
import { burnRate } from './provider-slo.js';
import { RollingWindow } from './rolling-window.js';
import { defaultBurnRateWindows, formatWindow, type ServiceLevelObjective } from './service-level-objective.js';

/** One observation as an objective sees it. */
export interface ObjectiveSample {
  readonly at: number;
  readonly ok: boolean;
  readonly latencyMs: number | undefined;
  readonly source: 'request' | 'probe';
}

/**
 * The good and bad events of one objective of one provider, over every window length its burn-rate
 * alerts use (12 buckets each, so memory does not grow with traffic), and the alert conditions they give.
 */
export class ObjectiveTracker {
  private readonly windows = new Map<number, RollingWindow>();

  constructor(
    readonly provider: string,
    readonly objective: ServiceLevelObjective,
    private readonly minimumVolume: number,
  ) {
    for (const window of this.burnRateWindows()) {
      for (const length of [window.longWindowMs, window.shortWindowMs]) if (!this.windows.has(length)) this.windows.set(length, new RollingWindow(length, 12));
    }
  }

  /** Counts one outcome: for availability every counted call and probe, for latency successful requests only. */
  record(sample: ObjectiveSample): void {
    if (this.objective.indicator === 'latency') {
      if (!sample.ok || sample.source !== 'request' || sample.latencyMs === undefined) return;
      const slow = sample.latencyMs > (this.objective.thresholdMs ?? Number.POSITIVE_INFINITY);
      for (const window of this.windows.values()) window.record({ at: sample.at, ok: !slow, slow });
      return;
    }
    for (const window of this.windows.values()) window.record({ at: sample.at, ok: sample.ok, slow: false });
  }

  /** Burn rates and alert verdicts at `now`. */
  status(now: number): ObjectiveStatus {
    const allowed = 1 - this.objective.objective;
    const rates = new Map<number, { burnRate: number; volume: number; bad: number }>();
    for (const [length, window] of this.windows) {
      const counts = window.counts(now);
      rates.set(length, { burnRate: round(burnRate(counts.failures, counts.volume, allowed, this.minimumVolume)), volume: counts.volume, bad: counts.failures });
    }
    const alerts = this.burnRateWindows().map((window) => {
      const rate = Math.min(rates.get(window.longWindowMs)!.burnRate, rates.get(window.shortWindowMs)!.burnRate);
      return { rule: `slo-${this.objective.name}-${window.name}`, window: `${formatWindow(window.longWindowMs)}/${formatWindow(window.shortWindowMs)}`, burnRate: rate, factor: window.factor, severity: window.severity, firing: rate >= window.factor };
    });
    return {
      provider: this.provider,
      objective: this.objective.name,
      indicator: this.objective.indicator,
      target: this.objective.objective,
      ...(this.objective.thresholdMs === undefined ? {} : { thresholdMs: this.objective.thresholdMs }),
      burnRates: [...rates].sort(([left], [right]) => left - right).map(([windowMs, rate]) => ({ window: formatWindow(windowMs), windowMs, ...rate })),
      alerts,
    };
  }

  /** The alert conditions of this objective at `now`, for the monitor's deduplicating tracker. */
  conditions(now: number): AlertCondition[] {
    const status = this.status(now);
    const what = this.objective.indicator === 'latency' ? `latency (${percent(this.objective.objective)} ≤ ${this.objective.thresholdMs} ms)` : `availability (${percent(this.objective.objective)})`;
    return status.alerts.map((alert) => ({
      rule: alert.rule,
      active: alert.firing,
      severity: alert.severity,
      summary: `${this.provider}: SLO ${this.objective.name}, ${what}: error budget burning ${alert.burnRate}× over ${alert.window} (fires at ${alert.factor}×)`,
      value: alert.burnRate,
      threshold: alert.factor,
    }));
  }

  private burnRateWindows() {
    return this.objective.windows ?? defaultBurnRateWindows;
  }
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function percent(fraction: number): string {
  return `${Math.round(fraction * 100_000) / 1000} %`;
}
