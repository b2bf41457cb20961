import type { MemoryProviderV1CallOptions } from '@memgate/core';
import type { Context } from 'hono';
import type { AppEnv } from '../app/app-env.js';

/**
 * The provider call options of a request: its abort signal (fires when the client goes away),
 * a deadline `requestTimeoutMs` from now, the request id and the caller.
 */
export function callOptions(c: Context<AppEnv>): MemoryProviderV1CallOptions {
  return {
    signal: c.req.raw.signal,
    deadline: Date.now() + c.var.requestTimeoutMs,
    requestId: c.var.requestId,
    principal: c.var.principal,
  };
}
