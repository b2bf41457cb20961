import { OpenAPIHono } from '@hono/zod-openapi';
import { getConnInfo } from '@hono/node-server/conninfo';
import { wrapMemoryProvider, type MemoryProviderV1 } from '@memgate/core';
import { tenantScopeMiddleware } from '@memgate/security';
import type { CertificateIdentity } from '@memgate/security';
import { authenticate, verifyClientCertificate } from '@memgate/security/hono';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { type Logger, pino } from 'pino';
import { createInMemoryEventStore } from '../events/create-in-memory-event-store.js';
import type { MemoryEventStore } from '../events/memory-event-store.js';
import { createWriteBehindEventStore, isBatchingMemoryEventStore } from '../events/write-behind-event-store.js';
import { healthRouter } from '../routes/health/health.index.js';
import { unsupportedRouter } from '../routes/unsupported/unsupported.index.js';
import type { AppEnv } from './app-env.js';
import { handleError } from './handle-error.js';
import { auditTrail } from './audit-trail.js';
import { authorizeRoute } from './authorize-route.js';
import { routePermissions } from './route-permissions.js';
import type { GatewaySecurity } from '../security/gateway-security.js';
import { enforceProviderLevels } from '../security/enforce-provider-levels.js';
import type { EdgeGuards } from '../security/edge-guards.js';
import { createKeysRouter } from '../keys-api/keys.index.js';
import { createAuditRouter } from '../audit-api/audit.index.js';
import { createProviderKeysRouter } from '../keys-api/provider-keys.index.js';
import { createDashboard } from '../routes/dashboard/dashboard.index.js';
import { createDocsRouter } from '../routes/docs/docs.index.js';
import { resources } from './resources.js';
import type { ProviderRegistry } from '@memgate/registry';
import type { GatewayMetrics } from '../compose/gateway-metrics.js';
import type { LiveFailoverPool } from '../compose/live-failover-pool.js';
import { createFailoverRouter } from '../failover-api/failover.index.js';
import { createProvidersRouter } from '../providers-api/providers.index.js';
import { createMetricsRouter } from '../routes/metrics/metrics.index.js';
import { recordRequestMetrics } from './record-request-metrics.js';
import { routingHeaders } from './routing-headers.js';

/** Options of {@link createApp}. */
export interface CreateAppOptions {
  /** The memory provider the data plane serves: one provider or a failover pool. */
  memory: MemoryProviderV1;
  /** Keys, roles and the audit trail (see `createGatewaySecurity`): every route is authorized against them. */
  security: GatewaySecurity;
  /** Where write events are kept. Default: in memory, the newest 10,000. A store with `saveMany` (the state store's) is written behind, off the request path (`createWriteBehindEventStore`). */
  events?: MemoryEventStore;
  /** Largest accepted request body in bytes; bigger ones get 413. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Deadline of each provider call, in milliseconds from the start of the request. Default 30,000. */
  requestTimeoutMs?: number;
  /** Logger for unexpected errors. Default: silent. */
  logger?: Logger;
  /** The provider registry served at `/providers…` (management API). Without it those routes are absent. */
  registry?: ProviderRegistry;
  /** The live failover pool (usually also `memory`): serves `/providers/health`, `/providers/{name}/health|metrics|trends` and `/providers/failover/…`. */
  failover?: LiveFailoverPool;
  /** The app's Prometheus metrics, served at `/metrics` and fed by every response. */
  metrics?: GatewayMetrics;
  /** Served over mTLS: verified client certificates map to these principals; `required` refuses requests without one (401). */
  clientCertificates?: { readonly required: boolean; readonly identities: readonly CertificateIdentity[] };
  /** IP allow-list, trusted proxies and rate limits (see `createEdgeGuards`). Default none. */
  edge?: EdgeGuards;
}

/** Paths that answer without a key: the table's `public` rows. */
export const publicPaths: readonly string[] = routePermissions.filter((row) => row.requirement === 'public').map((row) => row.path);

/**
 * Builds the gateway's Hono app: the mem0-compatible data plane over `memory`, `/healthz` and
 * `/readyz`, the OpenAPI 3.1 document at `/openapi.json` and its docs page at `/docs`. It holds no
 * module-level state: two apps in one process share nothing.
 */
export function createApp({ memory, security, events = createInMemoryEventStore(), maxBodyBytes = 1024 * 1024, requestTimeoutMs = 30_000, logger = pino({ level: 'silent' }), registry, failover, metrics, clientCertificates, edge }: CreateAppOptions): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ strict: false });
  const eventLog = isBatchingMemoryEventStore(events) ? createWriteBehindEventStore(events, { onError: (error) => logger.warn({ err: error }, 'memory events') }) : events;
  if (metrics) app.use('*', recordRequestMetrics(metrics));
  app.use('*', requestId());
  app.use('*', routingHeaders());
  // Every data-plane call runs inside the caller's tenant scope, whatever route or surface made it.
  // A by-id call outside the scope is answered 404 like a missing memory, and audited as a refusal.
  const scoped = wrapMemoryProvider(memory, tenantScopeMiddleware({ onOutOfScope: ({ options }) => (options as { reportOutOfScope?: () => void } | undefined)?.reportOutOfScope?.() }));
  app.use('*', async function provideVariables(c, next) {
    c.set('memory', scoped);
    c.set('clientIp', clientAddress(c));
    c.set('events', eventLog);
    c.set('logger', logger);
    c.set('requestTimeoutMs', requestTimeoutMs);
    await next();
  });
  app.use(
    '*',
    bodyLimit({
      maxSize: maxBodyBytes,
      // Connection: close, since the unread rest of the body makes the socket unusable for another request.
      onError: (c) => c.json({ error: `body: request body is larger than ${maxBodyBytes} bytes`, field: 'body' }, 413, { connection: 'close' }),
    }),
  );
  app.use('*', auditTrail({ log: security.audit }));
  // The dashboard (with a pool to show): its session cookie presents the session's key to `authenticate` below.
  const dashboard = failover ? createDashboard({ pool: failover, ...(registry ? { registry } : {}) }) : undefined;
  if (dashboard) app.use('*', dashboard.session);
  for (const guard of edge?.beforeAuthentication ?? []) app.use('*', guard);
  if (clientCertificates) app.use('*', verifyClientCertificate({ required: clientCertificates.required }));
  app.use('*', authenticate({ keys: security.keys, publicPaths, ...(clientCertificates ? { certificates: { identities: clientCertificates.identities, roles: security.roles } } : {}), ...(edge ? { failureLimiter: edge.failureLimiter } : {}) }));
  for (const guard of edge?.afterAuthentication ?? []) app.use('*', guard);
  app.use('*', authorizeRoute(routePermissions));
  if (registry) app.use('*', enforceProviderLevels({ registry }));
  app.route('/', healthRouter);
  for (const resource of resources) app.route('/', resource);
  if (metrics) app.route('/', createMetricsRouter(metrics));
  // Before the registry's routes: `/providers/{name}` would otherwise take `/providers/health`.
  if (failover) app.route('/', createFailoverRouter(failover));
  if (dashboard) app.route('/', dashboard.router);
  app.route('/', createKeysRouter(security));
  app.route('/', createAuditRouter(security.auditStore));
  if (registry) app.route('/', createProviderKeysRouter(security, registry));
  if (registry) app.route('/', createProvidersRouter(registry));
  app.route('/', unsupportedRouter);

  app.openAPIRegistry.registerComponent('securitySchemes', 'Token', { type: 'apiKey', in: 'header', name: 'Authorization', description: 'mem0 style: `Token <key>`' });
  app.openAPIRegistry.registerComponent('securitySchemes', 'Bearer', { type: 'http', scheme: 'bearer' });
  app.openAPIRegistry.registerComponent('securitySchemes', 'ApiKey', { type: 'apiKey', in: 'header', name: 'X-API-Key' });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'memgate', version: '0.1.0', description: 'A mem0-compatible memory gateway with failover. See apps/gateway/README.md.' },
  });
  app.route('/', createDocsRouter());

  app.notFound((c) => c.json({ error: `Not found: ${c.req.method} ${c.req.path}` }, 404));
  app.onError(handleError);
  return app;
}

/** The TCP peer's address (`@hono/node-server`), or `undefined` under `app.request()` in tests. */
function clientAddress(c: Parameters<typeof getConnInfo>[0]): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined;
  }
}
