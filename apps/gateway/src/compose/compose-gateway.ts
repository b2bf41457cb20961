import { mkdir } from 'node:fs/promises';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { scheduleReconciliation, writePathLeaseOwner, type WriteJournal } from '@memgate/failover';
import { createHealthMonitor } from '@memgate/health';
import { resolveSecretReferences, type ProviderRegistry } from '@memgate/registry';
import type { StateStore } from '@memgate/state';
import type { Logger } from 'pino';
import type { AppEnv } from '../app/app-env.js';
import { createApp } from '../app/create-app.js';
import { createWriteBehindEventStore, isBatchingMemoryEventStore } from '../events/write-behind-event-store.js';
import { createGatewaySecurity, type GatewaySecurity } from '../security/gateway-security.js';
import { createEdgeGuards } from '../security/edge-guards.js';
import { loadAuditSigner } from '../security/load-audit-signer.js';
import type { ServeSettings } from '../cli/serve-settings.js';
import { openProviderRegistry } from '../providers-api/open-provider-registry.js';
import { configAlertOptions, poolReadings } from './config-alerts.js';
import { createGatewayMetrics, type GatewayMetrics } from './gateway-metrics.js';
import { createInstanceUsage } from './instance-usage.js';
import { createLiveFailoverPool, type LiveFailoverPool } from './live-failover-pool.js';
import { createProviderProbeTargets } from './provider-probe-targets.js';
import { leaseOwnerFor } from './lease-owner.js';
import { createSharedCeilingStore } from './shared-ceiling-store.js';

/** Options of {@link composeGateway}. */
export interface ComposeGatewayOptions {
  readonly settings: ServeSettings;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Hex SHA-256 of the bootstrap (admin) key (see `resolveAdminKey`). */
  readonly adminKeyHash: string;
  readonly logger: Logger;
}

/** A composed gateway, ready to be served. */
export interface ComposedGateway {
  readonly app: OpenAPIHono<AppEnv>;
  readonly registry: ProviderRegistry;
  readonly store: StateStore;
  /** The data plane's memory: the live failover pool over the registry's active providers. */
  readonly pool: LiveFailoverPool;
  readonly metrics: GatewayMetrics;
  /** Keys (in the state store, revocations shared by every replica), roles and the audit trail. */
  readonly security: GatewaySecurity;
  /** Where decisions and trends are kept: in the state store (shared by every replica, kept across restarts). */
  readonly persistence: { readonly decisions: 'state'; readonly trends: 'state' };
  /** Stops following the registry, closes the pool, the monitor (flushing trends), the providers and the store (flushing decisions). */
  close(): Promise<void>;
}

/** The name of the gateway's failover pool: its journal entries and decisions are filed under it. */
export const gatewayPoolName = 'memgate';

/** The name of the provider added when nothing is configured or discovered. */
export const defaultProviderName = 'postgres';

/**
 * Wires `memgate serve`: the state store and the registry (`openProviderRegistry`: config file,
 * discovery, persisted providers), a default `postgres` provider on `settings.memoryUrl` when there is
 * no provider at all, one health monitor (alert webhooks, SLOs and threshold rules from the config's `alerts` section, active
 * probes at each provider's `health_check_interval`), the live failover pool over the active providers
 * with the config's `routing` and the state store's write journal (writes journaled, acknowledged on
 * `write_quorum` members, replicated to the rest), rebuilt on every registry change (local or from
 * another process), the app's metrics, and the app. No domain logic: each part comes from its package.
 * @throws Error listing every problem of an invalid config file; ValidationError for a webhook secret whose `${ENV}` is unset
 */
export async function composeGateway({ settings, env, cwd, adminKeyHash, logger }: ComposeGatewayOptions): Promise<ComposedGateway> {
  const webhooks = (settings.alerts?.webhooks ?? []).map((webhook, index) => ({
    url: webhook.url,
    secret: resolveSecretReferences(webhook.secret, env, `alerts.webhooks[${index}].secret`),
    ...(webhook.max_attempts === undefined ? {} : { maxAttempts: webhook.max_attempts }),
    ...(webhook.timeout_ms === undefined ? {} : { timeoutMs: webhook.timeout_ms }),
  }));
  await mkdir(settings.dataDir, { recursive: true });
  // Instances the registry replaces close only once the pool's calls on them have ended.
  const usage = createInstanceUsage();
  // A provider with undelivered journal entries cannot be deleted (the registry asks; the store opens below).
  const opening: { journal?: WriteJournal } = {};
  const pendingWrites = async (name: string): Promise<number> => (opening.journal ? ((await opening.journal.backlog(gatewayPoolName)).find((backlog) => backlog.member === name)?.entries ?? 0) : 0);
  const onError = (error: unknown): void => logger.warn({ err: error }, 'background error');
  const opened = await openProviderRegistry({ env, dataDir: settings.dataDir, cwd, retireInstance: usage.retire, pendingWrites, decisionRetentionMs: settings.decisionRetentionMs, onError, ...(settings.configFile ? { configFile: settings.configFile } : {}) });
  const journal = (opening.journal = opened.store.journal);
  const { registry, store } = opened;
  try {
    if ((await registry.list()).length === 0) {
      await registry.register({ name: defaultProviderName, provider_type: 'postgres', connection_string: settings.memoryUrl }, { force: true, source: 'config' });
    }
  } catch (error) {
    await opened.close();
    throw error;
  }
  // Decisions and hourly trends live in the state store: every replica lists the same history, and a restart keeps it.
  // SLOs and threshold rules of the config's `alerts` section; the backlog readings come from the pool, built below.
  const built: { pool?: LiveFailoverPool } = {};
  const health = createHealthMonitor({ webhooks, onError, trendStore: store.healthTrends, trendRetentionMs: settings.trendRetentionMs, ...configAlertOptions(settings.alerts), readings: poolReadings(() => built.pool) });
  const leaseOwner = await leaseOwnerFor(settings.dataDir);
  // What this data directory's previous process held for its own writes when it died is the replicator's now.
  await journal.releaseOwner(gatewayPoolName, writePathLeaseOwner(leaseOwner));
  // Before the pool: the providers' request ceilings lease from the same shared buckets as the key limits.
  const edge = createEdgeGuards({ settings: settings.edge, sharedBuckets: store.rateLimits, quotaCounters: store.quotaCounters, onSharedError: (error) => logger.warn({ err: error, store: settings.edge?.rateLimitStore ?? 'state' }, 'shared rate limits') });
  const pool = createLiveFailoverPool({
    name: gatewayPoolName,
    registry,
    health,
    decisions: store.decisions,
    usage,
    journal,
    idempotency: store.idempotency,
    leaseOwner,
    sharedCeilings: { store: createSharedCeilingStore(edge.sharedBuckets), onError: (error) => logger.warn({ err: error, store: edge.sharedStore }, 'shared provider ceilings') },
    onError,
    onMemberResynced: (report) => logger.info({ resync: report }, `${report.member} joined the pool: resynced from ${report.source} in ${report.durationMs} ms (${report.copied} copied, ${report.updated} updated, ${report.deleted} deleted)`),
    ...(opened.config?.routing ? { routing: opened.config.routing } : {}),
  });
  built.pool = pool;
  // Anti-entropy behind the replicator: compares the caught-up providers and repairs drift (config `routing.reconcile_interval_ms`).
  const reconcileEveryMs = opened.config?.routing?.reconcile_interval_ms ?? 3_600_000;
  const reconciliation =
    reconcileEveryMs > 0
      ? scheduleReconciliation(() => pool.current(), {
          intervalMs: reconcileEveryMs,
          onReport: (report) => (report.repairs.length > 0 ? logger.warn : logger.info).call(logger, { reconciliation: { ...report, repairs: report.repairs.slice(0, 20), repaired: report.repairs.length } }, `reconciliation compared ${report.memoriesCompared} memories on ${report.members.join(', ')} and repaired ${report.repairs.length}`),
          onError,
        })
      : undefined;
  const probes = createProviderProbeTargets(health, registry);
  const alertSubscription = health.onAlert((alert) => logger.warn({ alert }, `alert ${alert.state}: ${alert.summary}`));

  let refreshing: Promise<void> = Promise.resolve();
  const refresh = (): Promise<void> => {
    refreshing = refreshing
      .then(async () => {
        await pool.rebuild();
        probes.sync(await registry.list());
      })
      .catch(onError);
    return refreshing;
  };
  const changes = registry.onChange((event) => {
    logger.info({ change: event.type, provider: event.name, origin: event.origin }, 'registry changed; rebuilding the pool');
    void refresh();
  });
  await refresh();

  const metrics = createGatewayMetrics(pool);
  // Keys and the audit chain live in the state store; checkpoints of the chain are signed with a key only this host holds.
  const signer = await loadAuditSigner(settings.dataDir, env);
  const security = createGatewaySecurity({
    adminKeyHash,
    keyStore: store.keys,
    auditStore: store.audit,
    auditOptions: { checkpoint: { signer }, onProblem: (problem) => logger.warn({ audit: problem.type }, 'audit log problem') },
  });
  // Written behind, off the request path; flushed at close so a clean shutdown loses no event.
  const events = isBatchingMemoryEventStore(store.events) ? createWriteBehindEventStore(store.events, { onError: (error) => logger.warn({ err: error }, 'memory events') }) : store.events;
  const clientCertificates = settings.tls?.clientCa ? { required: settings.tls.clientCertificate === 'required', identities: settings.tls.identities } : undefined;
  const app = createApp({ memory: pool, security, events, maxBodyBytes: settings.maxBodyBytes, requestTimeoutMs: settings.requestTimeoutMs, logger, registry, failover: pool, metrics, ...(clientCertificates ? { clientCertificates } : {}), edge });
  return {
    app,
    registry,
    store,
    pool,
    metrics,
    security,
    persistence: { decisions: 'state', trends: 'state' },
    async close() {
      // First, so it claims no new batch while the rest closes: it stops after the batch in flight
      // (whole entries, marked delivered) and releases what it claimed, before the journal's store closes.
      await pool.replicator()?.stop();
      changes.dispose();
      reconciliation?.dispose();
      alertSubscription.dispose();
      metrics.dispose();
      probes.dispose();
      security.keys.close();
      // Every recorded audit entry reaches the store before it closes.
      await security.audit.flush();
      if ('flush' in events) await events.flush();
      await refreshing;
      await pool.close();
      await health.close();
      await edge.close();
      // The store's close writes the buffered decisions before its connections close.
      await opened.close();
    },
  };
}
