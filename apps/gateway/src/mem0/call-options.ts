import { ValidationError } from '@memgate/core';
import type { FailoverCallOptions } from '@memgate/failover';
import type { Context } from 'hono';
import type { AppEnv } from '../app/app-env.js';

const maxIdempotencyKeyLength = 255;

/** The options of the gateway's provider calls: a pool's, plus the hook the tenant scope middleware calls. */
export interface GatewayCallOptions extends FailoverCallOptions {
  /** Marks the request as refused for scope (audited), when a by-id call names a memory outside the key's tenant. */
  readonly reportOutOfScope: () => void;
}

/**
 * The provider call options of a request: its abort signal (fires when the client goes away),
 * a deadline `requestTimeoutMs` from now, the request id and the caller; the client's
 * `Idempotency-Key` header (the pool keeps it per principal, so two keys never share an answer), so
 * that a retried write is answered from the first one; and, for a
 * failover pool, `onDecision`, which collects the routing decision for the `x-memgate-*` headers
 * (a plain provider ignores both).
 *
 * @param part names one write of a request that makes several (a batch item), so each gets its own key
 * @throws ValidationError (field `Idempotency-Key`) for an empty or over-long key
 */
export function callOptions(c: Context<AppEnv>, part?: string): GatewayCallOptions {
  const idempotencyKey = c.req.header('idempotency-key');
  if (idempotencyKey !== undefined && (idempotencyKey.trim() === '' || idempotencyKey.length > maxIdempotencyKeyLength)) {
    throw new ValidationError({ field: 'Idempotency-Key', message: `Idempotency-Key: must be 1 to ${maxIdempotencyKeyLength} characters` });
  }
  return {
    onDecision: (decision) => c.var.decisions?.push(decision),
    signal: c.req.raw.signal,
    deadline: Date.now() + c.var.requestTimeoutMs,
    requestId: c.var.requestId,
    principal: c.var.principal,
    // The tenant scope middleware calls it when the memory lies outside the key's scope (audited as a refusal).
    reportOutOfScope: () => c.set('outOfScope', true),
    ...(idempotencyKey === undefined ? {} : { idempotencyKey: part === undefined ? idempotencyKey : `${idempotencyKey}#${part}` }),
  };
}
