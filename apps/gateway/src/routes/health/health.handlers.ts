import type { RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../app/app-env.js';
import type { healthzRoute, readyzRoute } from './health.routes.js';

/** Readiness probes get at most this long, in milliseconds. */
const readinessProbeTimeoutMs = 5_000;

/** Liveness: answers while the event loop runs. */
export const healthz: RouteHandler<typeof healthzRoute, AppEnv> = (c) => c.json({ status: 'ok' as const }, 200);

/** Readiness: 200 when the provider's probe succeeds, 503 with the reason when it fails. */
export const readyz: RouteHandler<typeof readyzRoute, AppEnv> = async (c) => {
  const provider = c.var.memory;
  try {
    const result = await provider.probe({ deadline: Date.now() + readinessProbeTimeoutMs, signal: c.req.raw.signal, requestId: c.var.requestId });
    return c.json({ status: 'ok' as const, provider: provider.name, latency_ms: result.latencyMs }, 200);
  } catch (error) {
    c.header('Retry-After', '5');
    return c.json({ status: 'unavailable' as const, provider: provider.name, error: error instanceof Error ? error.message : String(error) }, 503);
  }
};
