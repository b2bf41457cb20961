import { ValidationError } from '@memgate/core';
import type { FailoverCallOptions } from '@memgate/failover';
import type { Context } from 'hono';
import type { AppEnv } from '../app/app-env.js';

const maxIdempotencyKeyLength = 255;

/**
 * The provider call options of a request: its abort signal (fires when the client goes away),
 * a deadline `requestTimeoutMs` from now, the request id and the caller; the client's
 * `Idempotency-Key` header, so that a retried write is answered from the first one; and, for a
 * failover pool, `onDecision`, which collects the routing decision for the `x-memgate-*` headers
 * (a plain provider ignores both).
 *
 * @param part names one write of a request that makes several (a batch item), so each gets its own key
 * @throws ValidationError (field `Idempotency-Key`) for an empty or over-long key
 */
export function callOptions(c: Context<AppEnv>, part?: string): FailoverCallOptions {
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
    ...(idempotencyKey === undefined ? {} : { idempotencyKey: part === undefined ? idempotencyKey : `${idempotencyKey}#${part}` }),
  };
}
