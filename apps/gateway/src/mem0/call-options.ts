import type { FailoverCallOptions } from '@memgate/failover';
import type { Context } from 'hono';
import type { AppEnv } from '../app/app-env.js';

/**
 * The provider call options of a request: its abort signal (fires when the client goes away),
 * a deadline `requestTimeoutMs` from now, the request id and the caller; and, for a failover pool,
 * `onDecision`, which collects the routing decision for the `x-memgate-*` headers (a plain provider
 * ignores it).
 */
export function callOptions(c: Context<AppEnv>): FailoverCallOptions {
  return {
    onDecision: (decision) => c.var.decisions?.push(decision),
    signal: c.req.raw.signal,
    deadline: Date.now() + c.var.requestTimeoutMs,
    requestId: c.var.requestId,
    principal: c.var.principal,
  };
}
