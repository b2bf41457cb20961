import type { FailoverMemberStatistics, RoutingDecision } from '@memgate/failover';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ShedReason } from '../server/shed-reason.js';
import type { LiveFailoverPool } from './live-failover-pool.js';

/** The gateway's Prometheus metrics, on a registry of their own (never prom-client's global one). */
export interface GatewayMetrics {
  readonly registry: Registry;
  /** Counts one HTTP response. `route` is the matched route pattern (`/v1/memories/:memory_id/`), never the raw path. */
  recordRequest(method: string, route: string, status: number): void;
  /** Counts one request the server answered 503 itself, before the app (draining or overloaded). */
  recordShed(reason: ShedReason): void;
  /** Stops listening to the pool and the monitor. */
  dispose(): void;
}

const breakerStates = ['closed', 'open', 'half-open', 'isolated'] as const;

/**
 * Creates the metrics of one gateway (names and labels in apps/gateway/README.md). Attempts, failovers
 * and alerts are counted from the pool's decisions and the monitor's alerts as they happen; health
 * scores and breaker states are read when `/metrics` is scraped.
 */
export function createGatewayMetrics(pool: LiveFailoverPool): GatewayMetrics {
  const registry = new Registry();
  const requests = new Counter({ name: 'memgate_http_requests_total', help: 'HTTP responses by method, route pattern and status.', labelNames: ['method', 'route', 'status'] as const, registers: [registry] });
  const shed = new Counter({ name: 'memgate_http_requests_shed_total', help: 'Requests answered 503 by the server before the app: `draining` (shutting down) or `overloaded` (event loop behind).', labelNames: ['reason'] as const, registers: [registry] });
  const attempts = new Histogram({
    name: 'memgate_provider_attempt_duration_seconds',
    help: 'Duration of each call to a provider made by the router, by provider, operation and outcome class.',
    labelNames: ['provider', 'operation', 'outcome'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const decisions = new Counter({ name: 'memgate_routing_decisions_total', help: 'Requests routed by the failover pool, by operation and outcome.', labelNames: ['operation', 'outcome'] as const, registers: [registry] });
  const failovers = new Counter({
    name: 'memgate_failovers_total',
    help: 'Requests that moved past their first provider: from the first one tried to the one that served (`none` when none did).',
    labelNames: ['from', 'to'] as const,
    registers: [registry],
  });
  const ceilingSkips = new Counter({
    name: 'memgate_provider_ceiling_skips_total',
    help: 'Times the router passed a provider over because it was at its request ceiling (`rate_limit`), by provider. Not failures: the request went to the next provider.',
    labelNames: ['provider'] as const,
    registers: [registry],
  });
  const transitions = new Counter({ name: 'memgate_breaker_transitions_total', help: 'Circuit breaker state changes, by provider and new state.', labelNames: ['provider', 'state'] as const, registers: [registry] });
  const alerts = new Counter({ name: 'memgate_alerts_total', help: 'Health alert events, by rule, provider and state (firing or resolved).', labelNames: ['rule', 'provider', 'state'] as const, registers: [registry] });
  new Gauge({
    name: 'memgate_provider_health_score',
    help: 'Health score of each provider in [0, 1] (see @memgate/health).',
    labelNames: ['provider'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [provider, snapshot] of Object.entries(pool.health.snapshot().providers)) this.set({ provider }, snapshot.score);
    },
  });
  new Gauge({
    name: 'memgate_provider_up',
    help: '1 while the provider is up (fewer consecutive failures than the down threshold), else 0.',
    labelNames: ['provider'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [provider, snapshot] of Object.entries(pool.health.snapshot().providers)) this.set({ provider }, snapshot.up ? 1 : 0);
    },
  });
  new Gauge({
    name: 'memgate_provider_breaker_state',
    help: "Circuit breaker state of each pool member: 1 on the current state's series, 0 on the others.",
    labelNames: ['provider', 'state'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const member of pool.statistics().members) for (const state of breakerStates) this.set({ provider: member.name, state }, member.breaker.state === state ? 1 : 0);
    },
  });

  // SLOs and alerts (config `alerts.slos` / `alerts.rules` and the built-in rules), read at scrape time.
  new Gauge({
    name: 'memgate_slo_burn_rate',
    help: "Error-budget burn rate of each SLO of each provider over each window its alerts use (1 = exactly on budget; `window` as a Prometheus duration, e.g. 5m).",
    labelNames: ['provider', 'slo', 'window'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const status of pool.health.objectiveStatus()) for (const rate of status.burnRates) this.set({ provider: status.provider, slo: status.objective, window: rate.window }, rate.burnRate);
    },
  });
  new Gauge({
    name: 'memgate_slo_objective',
    help: 'Target fraction of good events of each SLO of each provider (`sli`: availability or latency).',
    labelNames: ['provider', 'slo', 'sli'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const status of pool.health.objectiveStatus()) this.set({ provider: status.provider, slo: status.objective, sli: status.indicator }, status.target);
    },
  });
  // Every alert known (each SLO window, and every rule that ever fired) has a series: 1 while firing, else 0.
  const knownAlerts = new Map<string, { rule: string; provider: string; severity: string }>();
  const knowAlert = (alert: { rule: string; provider: string; severity: string }): void => void knownAlerts.set(`${alert.rule}\u0000${alert.provider}`, { rule: alert.rule, provider: alert.provider, severity: alert.severity });
  new Gauge({
    name: 'memgate_alert_active',
    help: 'Health alerts, by rule, provider and severity: 1 while firing, 0 once resolved (or, for an SLO burn-rate alert, not fired yet).',
    labelNames: ['rule', 'provider', 'severity'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const status of pool.health.objectiveStatus()) for (const alert of status.alerts) knowAlert({ rule: alert.rule, provider: status.provider, severity: alert.severity });
      const firing = pool.health.firingAlerts();
      for (const alert of firing) knowAlert(alert);
      const active = new Set(firing.map((alert) => `${alert.rule}\u0000${alert.provider}`));
      for (const [key, labels] of knownAlerts) this.set(labels, active.has(key) ? 1 : 0);
    },
  });

  // One series per pool member with a journal, read at scrape time.
  const backlogGauge = (name: string, help: string, value: (backlog: NonNullable<FailoverMemberStatistics['journalBacklog']>) => number): void =>
    void new Gauge({
      name,
      help,
      labelNames: ['provider'] as const,
      registers: [registry],
      collect() {
        this.reset();
        for (const member of pool.statistics().members) if (member.journalBacklog) this.set({ provider: member.name }, value(member.journalBacklog));
      },
    });
  backlogGauge('memgate_journal_backlog_entries', 'Journal entries not yet applied by each pool member (its replication backlog).', (backlog) => backlog.entries);
  backlogGauge('memgate_journal_backlog_bytes', 'Payload bytes of the journal entries not yet applied by each pool member.', (backlog) => backlog.bytes);
  backlogGauge('memgate_journal_resync_needed', '1 while a member is past the backlog bound (writes are refused until it catches up or `memgate resync` runs), else 0.', (backlog) => (backlog.needsResync ? 1 : 0));
  new Gauge({
    name: 'memgate_replication_delivered_per_second',
    help: "The replicator's delivered journal entries per second over the last 10 s.",
    registers: [registry],
    collect() {
      this.set(pool.replicator()?.statistics().throughputPerSecond ?? 0);
    },
  });

  const onDecision = (decision: RoutingDecision): void => {
    decisions.inc({ operation: decision.operation, outcome: decision.outcome });
    for (const attempt of decision.attempts) attempts.observe({ provider: attempt.provider, operation: decision.operation, outcome: attempt.outcome }, attempt.durationMs / 1000);
    const first = decision.attempts[0]?.provider;
    if (first !== undefined && decision.chosen !== first) failovers.inc({ from: first, to: decision.chosen ?? 'none' });
    for (const skip of decision.skipped) if (skip.reason === 'at-ceiling') ceilingSkips.inc({ provider: skip.provider });
  };
  const subscriptions = [
    pool.onDecision(onDecision),
    pool.onBreakerStateChange((provider, change) => transitions.inc({ provider, state: change.to })),
    pool.health.onAlert((alert) => {
      alerts.inc({ rule: alert.rule, provider: alert.provider, state: alert.state });
      knowAlert(alert);
    }),
  ];
  return {
    registry,
    recordRequest: (method, route, status) => requests.inc({ method, route, status: String(status) }),
    recordShed: (reason) => shed.inc({ reason }),
    dispose() {
      for (const subscription of subscriptions) subscription.dispose();
    },
  };
}
