import type { DDSketch } from '@datadog/sketches-js';
import type { ClassifiedOutcome } from './classify-outcome.js';
import { computeHealthScore, type HealthScoreOptions } from './health-score.js';
import type { HealthStatus, HealthWindowName, HealthWindowStats, ProviderHealthSnapshot } from './health-snapshot.js';
import type { HealthTrendPoint } from './health-trend-store.js';
import { createLatencySketch, mergedQuantiles, type LatencyQuantiles } from './latency-quantiles.js';
import type { ProviderSlo } from './provider-slo.js';
import { RollingWindow, type WindowCounts } from './rolling-window.js';
import { UptimeTracker } from './uptime-tracker.js';

const hourMs = 3_600_000;
const windowNames: readonly HealthWindowName[] = ['1m', '5m', '1h'];

/** Settings shared by every provider's state. */
export interface ProviderHealthSettings {
  readonly downAfterFailures: number;
  readonly defaultRateLimitCooldownMs: number;
  readonly score: HealthScoreOptions;
  readonly snapshotMaxAgeMs: number;
}

interface HourAccumulator {
  hourStart: number;
  successes: number;
  failures: number;
  sketch: DDSketch;
}

/** One provider's measurements; owned by the monitor. */
export class ProviderHealth {
  readonly windows: Record<HealthWindowName, RollingWindow> = { '1m': new RollingWindow(60_000, 12), '5m': new RollingWindow(300_000, 10), '1h': new RollingWindow(hourMs, 12) };
  readonly uptime = new UptimeTracker(hourMs);
  consecutiveFailures = 0;
  lastSuccessAt: number | null = null;
  lastFailureAt: number | null = null;
  /** Last passive (request) observation: decides whether the provider is idle for probing. */
  lastRequestAt: number | null = null;
  lastError: ProviderHealthSnapshot['lastError'] = null;
  coolingDownUntil: number | null = null;
  configFault: ProviderHealthSnapshot['configFault'] = null;
  hour: HourAccumulator | undefined;
  private cachedLatency: { at: number; samples: number; values: Record<HealthWindowName, LatencyQuantiles | null> } | undefined;
  /** Latency samples ever recorded: a cache computed from far fewer (a sparse start) is refreshed early. */
  private latencySamples = 0;

  constructor(
    readonly name: string,
    readonly slo: ProviderSlo,
    private readonly settings: ProviderHealthSettings,
  ) {}

  /** Applies one classified outcome. */
  record(at: number, outcome: ClassifiedOutcome, reportedLatencyMs: number | undefined, error: unknown, source: 'request' | 'probe'): void {
    // A caller's bad number must not poison the sketch: NaN, infinities and negatives are dropped.
    const latencyMs = reportedLatencyMs !== undefined && Number.isFinite(reportedLatencyMs) && reportedLatencyMs >= 0 ? reportedLatencyMs : undefined;
    if (source === 'request') this.lastRequestAt = at;
    switch (outcome.kind) {
      case 'success':
      case 'failure': {
        const ok = outcome.kind === 'success';
        const slow = ok && latencyMs !== undefined && this.slo.latencyP95Ms !== undefined && latencyMs > this.slo.latencyP95Ms;
        // Probe latency measures a cheap call, not real work: it counts for availability only.
        const sampleLatency = source === 'request' ? latencyMs : undefined;
        for (const window of Object.values(this.windows)) window.record({ at, ok, latencyMs: sampleLatency, slow });
        if (ok && sampleLatency !== undefined) this.latencySamples += 1;
        this.recordHour(at, ok, sampleLatency);
        if (ok) this.recordSuccess(at);
        else this.recordFailure(at, error);
        return;
      }
      case 'rate-limited':
        this.coolingDownUntil = Math.max(this.coolingDownUntil ?? 0, at + (outcome.retryAfterMs ?? this.settings.defaultRateLimitCooldownMs));
        return;
      case 'config-fault':
        this.configFault = { message: error instanceof Error ? error.message : String(error), at };
        return;
      default:
        return;
    }
  }

  private recordSuccess(at: number): void {
    this.consecutiveFailures = 0;
    this.lastSuccessAt = at;
    this.configFault = null;
    this.uptime.set(at, true);
  }

  private recordFailure(at: number, error: unknown): void {
    this.consecutiveFailures += 1;
    this.lastFailureAt = at;
    this.lastError = { name: error instanceof Error ? error.name : 'Error', message: error instanceof Error ? error.message : String(error ?? 'failure'), at };
    // The first failure marks the provider as observed (up) so that uptime counts from here.
    if (this.consecutiveFailures >= this.settings.downAfterFailures) this.uptime.set(at, false);
    else this.uptime.set(at, this.uptime.up);
  }

  private recordHour(at: number, ok: boolean, latencyMs: number | undefined): void {
    const hourStart = Math.floor(at / hourMs) * hourMs;
    if (!this.hour || this.hour.hourStart !== hourStart) this.hour = { hourStart, successes: 0, failures: 0, sketch: createLatencySketch() };
    if (ok) this.hour.successes += 1;
    else this.hour.failures += 1;
    if (ok && latencyMs !== undefined) this.hour.sketch.accept(Math.max(latencyMs, 0.001));
  }

  get down(): boolean {
    return this.consecutiveFailures >= this.settings.downAfterFailures;
  }

  /** Counts of one window (cheap: no sketch merge). */
  counts(window: HealthWindowName, now: number): WindowCounts {
    return this.windows[window].counts(now);
  }

  /**
   * The provider's snapshot at `now`. Counts and state are live; latency quantiles (a sketch merge, the
   * only expensive step) are recomputed every `snapshotMaxAgeMs`, or sooner while the number of samples
   * more than doubles since the last computation (a cold start).
   */
  snapshot(now: number): ProviderHealthSnapshot {
    let cached = this.cachedLatency;
    if (!cached || now - cached.at >= this.settings.snapshotMaxAgeMs || now < cached.at || this.latencySamples > 2 * cached.samples) {
      cached = { at: now, samples: this.latencySamples, values: { '1m': this.windows['1m'].latency(now), '5m': this.windows['5m'].latency(now), '1h': this.windows['1h'].latency(now) } };
      this.cachedLatency = cached;
    }
    const latency = cached.values;
    const windows = {} as Record<HealthWindowName, HealthWindowStats>;
    for (const name of windowNames) {
      const counts = this.windows[name].counts(now);
      windows[name] = { volume: counts.volume, successes: counts.successes, failures: counts.failures, successRate: counts.volume === 0 ? null : counts.successes / counts.volume, latencyMs: latency[name] };
    }
    const uptime = this.uptime.uptime(now, hourMs);
    const score = computeHealthScore({ uptime, volume: windows['5m'].volume, failures: windows['5m'].failures, p95Ms: windows['5m'].latencyMs?.p95 ?? null, down: this.down }, this.scoreOptions());
    const coolingDownUntil = this.coolingDownUntil !== null && this.coolingDownUntil > now ? this.coolingDownUntil : null;
    return {
      provider: this.name,
      status: this.status(score, coolingDownUntil !== null),
      score,
      up: !this.down,
      uptime,
      consecutiveFailures: this.consecutiveFailures,
      lastSuccessAt: this.lastSuccessAt,
      lastFailureAt: this.lastFailureAt,
      lastError: this.lastError,
      coolingDownUntil,
      configFault: this.configFault,
      windows,
    };
  }

  /** The current hour's trend point, or `undefined` before any counted call this hour. */
  trendPoint(now: number): HealthTrendPoint | undefined {
    const hour = this.hour;
    if (!hour) return undefined;
    const volume = hour.successes + hour.failures;
    const latencyMs = mergedQuantiles([hour.sketch]);
    const uptime = this.uptime.between(hour.hourStart, Math.min(now, hour.hourStart + hourMs));
    const score = computeHealthScore({ uptime, volume, failures: hour.failures, p95Ms: latencyMs?.p95 ?? null, down: false }, this.scoreOptions());
    return { provider: this.name, hourStart: hour.hourStart, volume, successes: hour.successes, failures: hour.failures, latencyMs, uptime, score };
  }

  private scoreOptions(): HealthScoreOptions {
    return this.slo.latencyP95Ms === undefined ? this.settings.score : { ...this.settings.score, latencyTargetMs: this.slo.latencyP95Ms };
  }

  private status(score: number, coolingDown: boolean): HealthStatus {
    if (this.lastSuccessAt === null && this.lastFailureAt === null && this.configFault === null) return 'unknown';
    if (this.down || score < 0.5) return 'unhealthy';
    if (score < 0.8 || coolingDown || this.configFault !== null) return 'degraded';
    return 'healthy';
  }
}
