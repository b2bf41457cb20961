import type { AlertCondition, HealthAlert, HealthAlertListener } from './health-alert.js';
import type { Disposable } from './health-clock.js';
import type { HealthSnapshot, ProviderHealthSnapshot } from './health-snapshot.js';
import type { HealthTrendPoint } from './health-trend-store.js';
import type { ObjectiveStatus } from './objective-status.js';
import type { ProviderSlo } from './provider-slo.js';

/** One outcome of a call to a provider, as a caller reports it. */
export interface HealthOutcome {
  /** How long the call took, in milliseconds. */
  readonly latencyMs?: number;
  /** The error it failed with; classified with `classifyOutcome` before it counts. Omit for a success. */
  readonly error?: unknown;
  /** `false` marks a failure without an error object. Default: `error === undefined`. */
  readonly success?: boolean;
  /** `request` (passive, default) or `probe` (active). Probe latency is not recorded in the latency sketch. */
  readonly source?: 'request' | 'probe';
}

/** One probe's result, as {@link HealthMonitor.onProbeResult} reports it. */
export interface ProbeResult {
  readonly provider: string;
  readonly success: boolean;
  readonly latencyMs: number;
  /** Epoch ms. */
  readonly at: number;
}

/** Told of each probe's result; it must not throw (errors are reported, not propagated). */
export type ProbeResultListener = (result: ProbeResult) => void;

/** An active health check: resolves when the provider answers, rejects (with a core error) when it does not. */
export type HealthProbe = (signal: AbortSignal) => Promise<unknown>;

/** Per-target probe schedule, all in milliseconds. */
export interface ProbeScheduleOptions {
  /** While healthy and serving traffic. Default: the `intervalMs` argument (30 000). */
  readonly intervalMs?: number;
  /** While down or failing: probes come faster so recovery is noticed soon. Default `intervalMs / 6` (≥ 1000). */
  readonly unhealthyIntervalMs?: number;
  /** While healthy and without requests for an interval: passive data is absent but nothing is wrong. Default `2 × intervalMs`. */
  readonly idleIntervalMs?: number;
  /** A probe slower than this fails with `ProviderTimeoutError`. Default 5000. */
  readonly timeoutMs?: number;
}

/** The health monitor: fed by callers and probes, read by routers and dashboards. */
export interface HealthMonitor {
  /** Records one outcome for `provider` (created on first sight). Never throws; alerts are evaluated within 25 ms. */
  observe(provider: string, outcome: HealthOutcome): void;
  /** Every known provider. */
  snapshot(): HealthSnapshot;
  /** One provider, or `undefined` if the monitor has never heard of it. */
  snapshot(provider: string): ProviderHealthSnapshot | undefined;
  /** Sets or replaces a provider's SLOs. */
  setSlo(provider: string, slo: ProviderSlo): void;
  /** Listens to alert events (firing and resolved). */
  onAlert(listener: HealthAlertListener): Disposable;
  /**
   * Listens to every active probe's result, as it is recorded: the evidence a circuit breaker uses to
   * return an ejected member before its cooldown ends (Envoy's active health checking).
   */
  onProbeResult(listener: ProbeResultListener): Disposable;
  /**
   * Says that someone waits for `provider` to return (a breaker that ejected it and counts on probes to
   * vouch for it): its probes come at the unhealthy cadence until every such hold is disposed, so the
   * successive successful probes a breaker needs come seconds apart, not a healthy interval apart.
   */
  awaitRecovery(provider: string): Disposable;
  /** Alerts firing now. */
  firingAlerts(): HealthAlert[];
  /** Every objective (the `objectives` option) of every provider the monitor knows: burn rates per window and alert verdicts, at this instant. */
  objectiveStatus(): ObjectiveStatus[];
  /**
   * Reports a condition the monitor cannot observe itself (a member past its replication backlog bound):
   * it fires and resolves through the same deduplication, listeners and webhooks as the built-in rules.
   */
  reportCondition(provider: string, condition: AlertCondition): void;
  /**
   * Probes `provider` actively: first right away, then every `intervalMs` (faster while unhealthy, slower
   * while idle). Replaces an existing target of the same name. Dispose to stop.
   * @param intervalMs default 30 000
   */
  addProbeTarget(provider: string, probe: HealthProbe, intervalMs?: number, schedule?: ProbeScheduleOptions): Disposable;
  /** The provider's hourly trend points with `from <= hourStart < to` (epoch ms), oldest first. */
  trends(provider: string, range: { readonly from: number; readonly to: number }): Promise<HealthTrendPoint[]>;
  /** Writes the current hour's trend points to the store now (otherwise done every `trendFlushIntervalMs`). */
  flushTrends(): Promise<void>;
  /** Stops probes and timers, flushes trends, waits for webhook requests on the wire (retries not yet due are dropped). Idempotent. */
  close(): Promise<void>;
}
