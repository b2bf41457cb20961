import type { RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../app/app-env.js';
import type { healthzRoute, readyzRoute } from './health.routes.js';

/** Readiness probes get at most this long, in milliseconds. */
const readinessProbeTimeoutMs = 5_000;

/** Liveness: answers while the event loop runs. */
export const healthz: RouteHandler<typeof healthzRoute, AppEnv> = (c) => c.json({ status: 'ok' as const }, 200);

/**
 * Readiness: 200 `{"status":"ready"}` when the provider's probe succeeds, 503 `{"status":"not ready"}`
 * when it fails. Unauthenticated, so it names no provider and repeats no error: the reason goes to the log.
 */
export const readyz: RouteHandler<typeof readyzRoute, AppEnv> = async (c) => {
  const provider = c.var.memory;
  try {
    await provider.probe({ deadline: Date.now() + readinessProbeTimeoutMs, signal: c.req.raw.signal, requestId: c.var.requestId });
    return c.json({ status: 'ready' as const }, 200);
  } catch (error) {
    c.var.logger?.warn({ err: error, provider: provider.name, requestId: c.var.requestId }, 'readiness probe failed');
    c.header('Retry-After', '5');
    return c.json({ status: 'not ready' as const }, 503);
  }
};
