/**
 * @module record-request-metrics
 * Counts every response in the app's metrics by method, route pattern (never the raw path, so ids do
 * not explode the series) and status. Requests no route matched are counted as `route="unmatched"`.
 * @example app.use('*', recordRequestMetrics(metrics))
 */
import type { MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { GatewayMetrics } from '../compose/gateway-metrics.js';
import type { AppEnv } from './app-env.js';

/** The metrics middleware; mount it first so it sees the final status, errors included. */
export const recordRequestMetrics = (metrics: GatewayMetrics): MiddlewareHandler<AppEnv> =>
  async function recordRequestMetrics(c, next) {
    await next();
    // The handler is the first matched route that is not middleware (`app.use` routes have method ALL):
    // handlers answer and never fall through, so routes matched after it (`/providers/:name` after
    // `/providers/health`) did not run.
    const handler = matchedRoutes(c).find((route) => route.method !== 'ALL');
    metrics.recordRequest(c.req.method, handler?.path ?? 'unmatched', c.res.status);
  };
