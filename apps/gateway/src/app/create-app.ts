import { OpenAPIHono } from '@hono/zod-openapi';
import type { MemoryProviderV1 } from '@memgate/core';
import { Scalar } from '@scalar/hono-api-reference';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { type Logger, pino } from 'pino';
import type { ApiKeyAuthenticator } from '../auth/api-key-authenticator.js';
import { createInMemoryEventStore } from '../events/create-in-memory-event-store.js';
import type { MemoryEventStore } from '../events/memory-event-store.js';
import { healthRouter } from '../routes/health/health.index.js';
import { unsupportedRouter } from '../routes/unsupported/unsupported.index.js';
import type { AppEnv } from './app-env.js';
import { handleError } from './handle-error.js';
import { requireApiKey } from './require-api-key.js';
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
  /** Who a presented API key belongs to (e.g. `createAdminKeyAuthenticator(hash)`). */
  authenticator: ApiKeyAuthenticator;
  /** Where write events are kept. Default: in memory, the newest 10,000. */
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
}

/** Paths that answer without a key. */
export const publicPaths: readonly string[] = ['/healthz', '/readyz', '/openapi.json', '/docs'];

/**
 * Builds the gateway's Hono app: the mem0-compatible data plane over `memory`, `/healthz` and
 * `/readyz`, the OpenAPI 3.1 document at `/openapi.json` and its docs page at `/docs`. It holds no
 * module-level state: two apps in one process share nothing.
 */
export function createApp({ memory, authenticator, events = createInMemoryEventStore(), maxBodyBytes = 1024 * 1024, requestTimeoutMs = 30_000, logger = pino({ level: 'silent' }), registry, failover, metrics }: CreateAppOptions): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ strict: false });
  if (metrics) app.use('*', recordRequestMetrics(metrics));
  app.use('*', requestId());
  app.use('*', routingHeaders());
  app.use('*', async function provideVariables(c, next) {
    c.set('memory', memory);
    c.set('events', events);
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
  app.use('*', requireApiKey({ authenticator, publicPaths }));
  app.route('/', healthRouter);
  for (const resource of resources) app.route('/', resource);
  if (metrics) app.route('/', createMetricsRouter(metrics));
  // Before the registry's routes: `/providers/{name}` would otherwise take `/providers/health`.
  if (failover) app.route('/', createFailoverRouter(failover));
  if (registry) app.route('/', createProvidersRouter(registry));
  app.route('/', unsupportedRouter);

  app.openAPIRegistry.registerComponent('securitySchemes', 'Token', { type: 'apiKey', in: 'header', name: 'Authorization', description: 'mem0 style: `Token <key>`' });
  app.openAPIRegistry.registerComponent('securitySchemes', 'Bearer', { type: 'http', scheme: 'bearer' });
  app.openAPIRegistry.registerComponent('securitySchemes', 'ApiKey', { type: 'apiKey', in: 'header', name: 'X-API-Key' });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'memgate', version: '0.1.0', description: 'A mem0-compatible memory gateway with failover. See apps/gateway/README.md.' },
  });
  app.get('/docs', Scalar({ url: '/openapi.json', pageTitle: 'memgate API' }));

  app.notFound((c) => c.json({ error: `Not found: ${c.req.method} ${c.req.path}` }, 404));
  app.onError(handleError);
  return app;
}
