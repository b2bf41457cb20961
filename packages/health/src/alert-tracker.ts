import type { AlertCondition, HealthAlert } from './health-alert.js';

/**
 * Turns per-evaluation conditions into alert events: one `firing` event when a condition becomes active
 * and one `resolved` event when it stops, however many evaluations happen in between (deduplication).
 */
export class AlertTracker {
  private readonly active = new Map<string, HealthAlert>();

  /** The events caused by this evaluation of `provider`'s conditions, at `now`. */
  update(provider: string, conditions: readonly AlertCondition[], now: number): HealthAlert[] {
    const events: HealthAlert[] = [];
    for (const condition of conditions) {
      const key = `${condition.rule}:${provider}`;
      const firing = this.active.get(key);
      if (condition.active && !firing) {
        const alert: HealthAlert = { id: `${key}:${now}`, rule: condition.rule, provider, state: 'firing', severity: condition.severity, summary: condition.summary, value: condition.value, threshold: condition.threshold, startedAt: now };
        this.active.set(key, alert);
        events.push(alert);
      } else if (!condition.active && firing) {
        this.active.delete(key);
        events.push({ ...firing, state: 'resolved', summary: condition.summary, value: condition.value, resolvedAt: now });
      }
    }
    return events;
  }

  /** Alerts firing now. */
  firing(): HealthAlert[] {
    return [...this.active.values()];
  }
}
