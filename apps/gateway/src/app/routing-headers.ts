/**
 * @module routing-headers
 * Sets `x-memgate-provider` (who served the request's last provider call), `x-memgate-fallbacks`
 * (attempts after the first, summed over the request's calls) and `x-memgate-overhead-ms` (router time,
 * summed) on every response whose handler called the memory pool, errors included, and `server-timing:
 * provider;dur=<ms>` (the providers' own time: every attempt's duration, summed), so a client can tell the
 * gateway's added latency from the backend's per request. The pool reports each call through the
 * `onDecision` call option that `callOptions(c)` adds.
 * @example app.use('*', routingHeaders())
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './app-env.js';

/** The routing headers middleware. */
export const routingHeaders = (): MiddlewareHandler<AppEnv> =>
  async function routingHeaders(c, next) {
    c.set('decisions', []);
    await next();
    const decisions = c.var.decisions;
    if (decisions.length === 0) return;
    const served = decisions.findLast((decision) => decision.chosen !== null);
    c.res.headers.set('x-memgate-provider', served?.chosen ?? 'none');
    c.res.headers.set('x-memgate-fallbacks', String(decisions.reduce((sum, decision) => sum + decision.fallbacks, 0)));
    c.res.headers.set('x-memgate-overhead-ms', decisions.reduce((sum, decision) => sum + decision.overheadMs, 0).toFixed(3));
    let providerMs = 0;
    for (const decision of decisions) for (const attempt of decision.attempts) providerMs += attempt.durationMs;
    c.res.headers.set('server-timing', `provider;dur=${providerMs.toFixed(3)}`);
  };
