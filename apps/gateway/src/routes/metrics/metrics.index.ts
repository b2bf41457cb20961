import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app/app-env.js';
import type { GatewayMetrics } from '../../compose/gateway-metrics.js';
import { metricsRoute } from './metrics.routes.js';

/** Serves the app's own prom-client registry at `/metrics`. */
export function createMetricsRouter(metrics: GatewayMetrics): OpenAPIHono<AppEnv> {
  const router = new OpenAPIHono<AppEnv>({ strict: false });
  router.openapi(metricsRoute, async (c) => c.text(await metrics.registry.metrics(), 200, { 'content-type': metrics.registry.contentType }));
  return router;
}
