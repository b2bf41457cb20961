import { ValidationError } from '@memgate/core';
import { AlertTracker } from './alert-tracker.js';
import { classifyOutcome } from './classify-outcome.js';
import { evaluateAlertConditions, type AlertThresholds } from './evaluate-alert-conditions.js';
import type { HealthAlert, HealthAlertListener } from './health-alert.js';
import { systemClock, type HealthClock, type TimerHandle } from './health-clock.js';
import type { HealthMonitor, ProbeResultListener } from './health-monitor.js';
import type { HealthScoreOptions } from './health-score.js';
import type { HealthSnapshot, ProviderHealthSnapshot } from './health-snapshot.js';
import type { ObjectiveStatus } from './objective-status.js';
import { ObjectiveTracker } from './objective-tracker.js';
import { createInMemoryHealthTrendStore, type HealthTrendStore } from './health-trend-store.js';
import { startProbeLoop, type ProbeLoop } from './probe-loop.js';
import { ProviderHealth, type ProviderHealthSettings } from './provider-health.js';
import { defaultBurnRateRules, type BurnRateRule, type ProviderSlo } from './provider-slo.js';
import { defaultBurnRateWindows, type ServiceLevelObjective } from './service-level-objective.js';
import { evaluateThresholdRules, type ThresholdReadings, type ThresholdRule } from './threshold-rule.js';
import { validateObjectives } from './validate-objectives.js';
import { createWebhookNotifier, type WebhookNotifier, type WebhookOptions } from './webhook-notifier.js';

/** Options of {@link createHealthMonitor}; every field is optional. */
export interface HealthMonitorOptions {
  /** Time and timers. Default: the system clock. */
  readonly clock?: HealthClock;
  /** Consecutive counted failures after which a provider is "down". Default 3. */
  readonly downAfterFailures?: number;
  /** Health score tuning (weights, minimum volume, latency target). See README. */
  readonly score?: HealthScoreOptions;
  /** SLOs per provider name. */
  readonly slos?: Readonly<Record<string, ProviderSlo>>;
  /** Multi-window burn-rate rules applied to every SLO. Default: 14.4× over 1 h and 5 min (page). */
  readonly burnRateRules?: readonly BurnRateRule[];
  /** Thresholds of the built-in rules. */
  readonly alerts?: AlertThresholds;
  /**
   * Named service-level objectives by provider name; the key `*` applies to every provider (a provider's
   * own objective of the same name replaces it). Each is watched with its multi-window burn-rate alerts
   * (`slo-<objective>-<window>`) and reported by `objectiveStatus()`.
   */
  readonly objectives?: Readonly<Record<string, readonly ServiceLevelObjective[]>>;
  /** Threshold alerts (health score below, error rate above, backlog above, …), each firing as its own rule. */
  readonly thresholdRules?: readonly ThresholdRule[];
  /** Values of the threshold metrics the monitor cannot measure (`backlog_entries`, `backlog_bytes`), per provider, read at each evaluation. */
  readonly readings?: (provider: string) => ThresholdReadings;
  /**
   * How often every provider is evaluated while `objectives` or `thresholdRules` are set, so windows that
   * roll on without traffic still fire and resolve (ms). Default: a tenth of the shortest burn-rate short
   * window, within 100 ms and 15 s.
   */
  readonly objectiveEvaluationIntervalMs?: number;
  /** Webhooks that receive every alert event, signed. */
  readonly webhooks?: readonly WebhookOptions[];
  /** Cool-down after a rate limit that gave no Retry-After (ms). Default 1000. */
  readonly defaultRateLimitCooldownMs?: number;
  /** How long computed latency quantiles may be reused (ms); counts and state are always live. Default 1000. */
  readonly snapshotMaxAgeMs?: number;
  /** Minimum spacing of alert evaluations per provider (ms); an evaluation is never later than this after an observation. Default 25. */
  readonly alertEvaluationIntervalMs?: number;
  /** Where hourly trends go. Default: in memory. */
  readonly trendStore?: HealthTrendStore;
  /** How often the current hour's trends are written (ms). Default 60 000. */
  readonly trendFlushIntervalMs?: number;
  /** How long trends are kept (ms); older points are pruned hourly. Default 7 days. */
  readonly trendRetentionMs?: number;
  /** Told of errors the monitor cannot throw (trend store, listeners, webhooks). Default: `console.warn`. */
  readonly onError?: (error: unknown) => void;
}

const hourMs = 3_600_000;

/**
 * Creates a {@link HealthMonitor}: feed it with `observe` and probes, read it with `snapshot`, listen with
 * `onAlert`. It holds no sockets of its own besides webhook deliveries, and `close()` ends every timer.
 */
export function createHealthMonitor(options: HealthMonitorOptions = {}): HealthMonitor {
  validateOptions(options);
  const clock = options.clock ?? systemClock;
  const downAfterFailures = options.downAfterFailures ?? 3;
  const settings: ProviderHealthSettings = { downAfterFailures, defaultRateLimitCooldownMs: options.defaultRateLimitCooldownMs ?? 1000, score: options.score ?? {}, snapshotMaxAgeMs: options.snapshotMaxAgeMs ?? 1000 };
  const alertSettings = { consecutiveFailures: options.alerts?.consecutiveFailures ?? downAfterFailures, scoreBelow: options.alerts?.scoreBelow ?? 0.5, minimumVolume: options.score?.minimumVolume ?? 20, burnRateRules: options.burnRateRules ?? defaultBurnRateRules };
  const evaluationIntervalMs = options.alertEvaluationIntervalMs ?? 25;
  const trendStore = options.trendStore ?? createInMemoryHealthTrendStore();
  const trendRetentionMs = options.trendRetentionMs ?? 7 * 24 * hourMs;
  const reportError = options.onError ?? ((error: unknown) => console.warn('[@memgate/health]', error));
  const slos = new Map(Object.entries(options.slos ?? {}));
  const objectives = options.objectives ?? {};
  const thresholdRules = options.thresholdRules ?? [];
  const objectiveTrackers = new Map<string, ObjectiveTracker[]>();
  // When each threshold rule's condition started to hold, per `<rule>:<provider>` (for `forMs`).
  const pendingSince = new Map<string, number>();
  const providers = new Map<string, ProviderHealth>();
  const listeners = new Set<HealthAlertListener>();
  const probeListeners = new Set<ProbeResultListener>();
  const tracker = new AlertTracker();
  const notifiers: WebhookNotifier[] = (options.webhooks ?? []).map((webhook) => createWebhookNotifier({ clock, onDeliveryFailure: (_alert, error) => reportError(error), ...webhook }));
  const probeLoops = new Map<string, ProbeLoop>();
  // Providers someone waits to see return (an open breaker), with how many holds each: probed at the unhealthy cadence.
  const recoveryHolds = new Map<string, number>();
  const evaluations = new Map<string, { lastAt: number; timer: TimerHandle | undefined }>();
  let lastPruneAt = Number.NEGATIVE_INFINITY;
  let closed = false;

  const providerNamed = (name: string): ProviderHealth => {
    let health = providers.get(name);
    if (!health) {
      health = new ProviderHealth(name, slos.get(name) ?? {}, settings);
      providers.set(name, health);
      const own = objectives[name] ?? [];
      const effective = [...(objectives['*'] ?? []).filter((shared) => !own.some((objective) => objective.name === shared.name)), ...own];
      objectiveTrackers.set(name, effective.map((objective) => new ObjectiveTracker(name, objective, objective.minimumVolume ?? alertSettings.minimumVolume)));
    }
    return health;
  };

  const emit = (alert: HealthAlert): void => {
    for (const listener of listeners) {
      try {
        listener(alert);
      } catch (error) {
        reportError(error);
      }
    }
    for (const notifier of notifiers) notifier.notify(alert);
  };

  const evaluate = (name: string): void => {
    const health = providers.get(name);
    if (!health || closed) return;
    const now = clock.now();
    const conditions = evaluateAlertConditions(health, now, alertSettings);
    for (const objective of objectiveTrackers.get(name) ?? []) conditions.push(...objective.conditions(now));
    if (thresholdRules.length > 0) {
      let readings: ThresholdReadings = {};
      try {
        readings = options.readings?.(name) ?? {};
      } catch (error) {
        reportError(error);
      }
      conditions.push(...evaluateThresholdRules(thresholdRules, health.snapshot(now), readings, now, alertSettings.minimumVolume, pendingSince));
    }
    for (const alert of tracker.update(name, conditions, now)) emit(alert);
  };

  // Windows roll on without traffic: evaluate every provider on a timer so burn rates fall and alerts resolve.
  const shortestWindowMs = Math.min(...Object.values(objectives).flatMap((list) => list.flatMap((objective) => (objective.windows ?? defaultBurnRateWindows).map((window) => window.shortWindowMs))));
  const periodicEvery = options.objectiveEvaluationIntervalMs ?? Math.min(15_000, Math.max(100, Number.isFinite(shortestWindowMs) ? shortestWindowMs / 10 : 15_000));
  let periodicTimer: TimerHandle | undefined;
  const schedulePeriodicEvaluation = (): void => {
    periodicTimer = clock.setTimeout(() => {
      if (closed) return;
      for (const name of providers.keys()) evaluate(name);
      schedulePeriodicEvaluation();
    }, periodicEvery);
  };
  if (Object.keys(objectives).length > 0 || thresholdRules.length > 0) schedulePeriodicEvaluation();

  // Coalesces evaluations: at most one per provider per interval, never later than one interval after
  // the observation that asked for it.
  const scheduleEvaluation = (name: string): void => {
    const state = evaluations.get(name) ?? { lastAt: Number.NEGATIVE_INFINITY, timer: undefined };
    evaluations.set(name, state);
    if (state.timer !== undefined) return;
    const now = clock.now();
    const wait = state.lastAt + evaluationIntervalMs - now;
    const run = (): void => {
      state.timer = undefined;
      state.lastAt = clock.now();
      evaluate(name);
    };
    if (wait <= 0) run();
    else state.timer = clock.setTimeout(run, wait);
  };

  // Trend writes run one at a time, in the order they were asked for (an hour's final point, a timer's
  // flush, a caller's flush), so a later write or prune never lands before an earlier one and a caller's
  // `flushTrends()` or `trends()` sees every write asked for before it.
  let trendWrites: Promise<void> = Promise.resolve();
  const queueTrendWrite = (write: () => Promise<void>): Promise<void> => {
    const queued = trendWrites.then(write);
    trendWrites = queued.catch(reportError);
    return queued;
  };
  const flushTrends = (): Promise<void> =>
    queueTrendWrite(async () => {
      const now = clock.now();
      const points = [...providers.values()].flatMap((health) => health.trendPoint(now) ?? []);
      if (points.length > 0) await trendStore.upsert(points);
      if (now - lastPruneAt >= hourMs) {
        await trendStore.prune(now - trendRetentionMs);
        lastPruneAt = now;
      }
    });

  let trendTimer: TimerHandle | undefined;
  const scheduleTrendFlush = (): void => {
    trendTimer = clock.setTimeout(() => {
      void flushTrends()
        .catch(() => undefined) // reported by the queue
        .finally(() => {
          if (!closed) scheduleTrendFlush();
        });
    }, options.trendFlushIntervalMs ?? 60_000);
  };
  scheduleTrendFlush();

  const observe = (name: string, outcome: { latencyMs?: number; error?: unknown; success?: boolean; source?: 'request' | 'probe' }): void => {
    if (closed) return;
    const health = providerNamed(name);
    const now = clock.now();
    // An hour boundary is crossed: write the finished hour before its accumulator is replaced.
    const previousHour = health.hour;
    if (previousHour && Math.floor(now / hourMs) * hourMs !== previousHour.hourStart) {
      const point = health.trendPoint(previousHour.hourStart + hourMs);
      if (point) void queueTrendWrite(() => trendStore.upsert([point])).catch(() => undefined); // reported by the queue
    }
    const error = outcome.error ?? (outcome.success === false ? new Error('failure') : undefined);
    const classified = classifyOutcome(error);
    health.record(now, classified, outcome.latencyMs, error, outcome.source ?? 'request');
    if (classified.kind === 'success' || classified.kind === 'failure') {
      const sample = { at: now, ok: classified.kind === 'success', latencyMs: outcome.latencyMs !== undefined && Number.isFinite(outcome.latencyMs) && outcome.latencyMs >= 0 ? outcome.latencyMs : undefined, source: outcome.source ?? 'request' } as const;
      for (const objective of objectiveTrackers.get(name) ?? []) objective.record(sample);
    }
    if (classified.kind === 'failure' && outcome.source !== 'probe') probeLoops.get(name)?.failureSeen();
    scheduleEvaluation(name);
    if (outcome.source === 'probe' && probeListeners.size > 0) {
      const result = { provider: name, success: error === undefined, latencyMs: outcome.latencyMs ?? 0, at: now };
      for (const listener of probeListeners) {
        try {
          listener(result);
        } catch (listenerError) {
          reportError(listenerError);
        }
      }
    }
  };

  function snapshot(): HealthSnapshot;
  function snapshot(provider: string): ProviderHealthSnapshot | undefined;
  function snapshot(provider?: string): HealthSnapshot | ProviderHealthSnapshot | undefined {
    const now = clock.now();
    if (provider !== undefined) return providers.get(provider)?.snapshot(now);
    const all: Record<string, ProviderHealthSnapshot> = {};
    for (const [name, health] of providers) all[name] = health.snapshot(now);
    return { at: now, providers: all };
  }

  return {
    observe,
    snapshot,
    setSlo(provider, slo) {
      slos.set(provider, slo);
      const health = providers.get(provider);
      if (health) Object.assign(health, { slo });
    },
    onAlert(listener) {
      listeners.add(listener);
      return { dispose: () => void listeners.delete(listener) };
    },
    onProbeResult(listener) {
      probeListeners.add(listener);
      return { dispose: () => void probeListeners.delete(listener) };
    },
    awaitRecovery(provider) {
      recoveryHolds.set(provider, (recoveryHolds.get(provider) ?? 0) + 1);
      probeLoops.get(provider)?.recoveryAwaited();
      let released = false;
      return {
        dispose: () => {
          if (released) return;
          released = true;
          const left = (recoveryHolds.get(provider) ?? 1) - 1;
          if (left > 0) recoveryHolds.set(provider, left);
          else recoveryHolds.delete(provider);
        },
      };
    },
    firingAlerts: () => tracker.firing(),
    objectiveStatus() {
      const now = clock.now();
      const statuses: ObjectiveStatus[] = [];
      for (const list of objectiveTrackers.values()) for (const objective of list) statuses.push(objective.status(now));
      return statuses;
    },
    reportCondition(provider, condition) {
      if (closed) return;
      const now = clock.now();
      for (const alert of tracker.update(provider, [condition], now)) emit(alert);
    },
    addProbeTarget(provider, probe, intervalMs = 30_000, schedule = {}) {
      if (typeof probe !== 'function') throw new ValidationError({ message: 'a probe must be a function', field: 'probe' });
      for (const [field, value] of [['intervalMs', intervalMs], ...Object.entries(schedule)] as [string, unknown][]) {
        if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value > 0)) throw new ValidationError({ message: `${field} must be a positive number of milliseconds`, field });
      }
      probeLoops.get(provider)?.stop();
      const interval = schedule.intervalMs ?? intervalMs;
      providerNamed(provider);
      const loop = startProbeLoop(
        probe,
        { intervalMs: interval, unhealthyIntervalMs: schedule.unhealthyIntervalMs ?? Math.max(1000, interval / 6), idleIntervalMs: schedule.idleIntervalMs ?? interval * 2, timeoutMs: schedule.timeoutMs ?? 5000 },
        { clock, observe: (outcome) => observe(provider, outcome), failing: () => (providers.get(provider)?.consecutiveFailures ?? 0) > 0, lastRequestAt: () => providers.get(provider)?.lastRequestAt ?? null, recoveryAwaited: () => (recoveryHolds.get(provider) ?? 0) > 0 },
      );
      probeLoops.set(provider, loop);
      return {
        dispose: () => {
          loop.stop();
          if (probeLoops.get(provider) === loop) probeLoops.delete(provider);
        },
      };
    },
    async trends(provider, range) {
      await trendWrites;
      return trendStore.query(provider, range);
    },
    flushTrends,
    async close() {
      if (closed) return;
      for (const loop of probeLoops.values()) loop.stop();
      probeLoops.clear();
      for (const state of evaluations.values()) if (state.timer !== undefined) clock.clearTimeout(state.timer);
      clock.clearTimeout(periodicTimer);
      clock.clearTimeout(trendTimer);
      await flushTrends().catch(() => undefined); // reported by the queue
      closed = true;
      // Deliveries on the wire finish; retries waiting for their backoff are dropped.
      for (const notifier of notifiers) notifier.close();
      await Promise.all(notifiers.map((notifier) => notifier.idle()));
    },
  };
}

function validateOptions(options: HealthMonitorOptions): void {
  validateObjectives(options.objectives ?? {}, options.thresholdRules ?? []);
  (options.webhooks ?? []).forEach((webhook, index) => {
    let protocol = '';
    try {
      protocol = new URL(webhook.url).protocol;
    } catch {
      // reported below
    }
    if (protocol !== 'http:' && protocol !== 'https:') throw new ValidationError({ message: 'a webhook needs an http(s) URL', field: `webhooks[${index}].url` });
    if (typeof webhook.secret !== 'string' || webhook.secret.length === 0) throw new ValidationError({ message: 'a webhook needs a signing secret', field: `webhooks[${index}].secret` });
  });
  for (const [field, value] of Object.entries({ downAfterFailures: options.downAfterFailures, snapshotMaxAgeMs: options.snapshotMaxAgeMs, trendFlushIntervalMs: options.trendFlushIntervalMs, trendRetentionMs: options.trendRetentionMs })) {
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) throw new ValidationError({ message: `${field} must be a non-negative number`, field });
  }
}
