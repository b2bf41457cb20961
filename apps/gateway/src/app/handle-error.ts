import {
  AbortedError,
  MemoryError,
  AuthError,
  ConflictError,
  NotFoundError,
  ProviderTimeoutError,
  ProviderUnavailableError,
  RateLimitedError,
  UnsupportedCapabilityError,
  ValidationError,
} from '@memgate/core';
import { classifyProviderFailure } from '@memgate/registry';
import { AuditBacklogFullError, ForbiddenError } from '@memgate/security';
import type { Context, ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from './app-env.js';

/** Seconds a caller should wait after a 503 when the provider gave no better figure. */
const defaultUnavailableRetryAfterSeconds = 5;

/**
 * The app's one `onError`: maps core's and security's error classes to HTTP statuses and mem0-style
 * bodies (`{"error": "..."}`, plus `field` for validation errors and `detail` for auth errors, since
 * the mem0 client turns the body text into its error message). A provider's failure (an error with
 * `providerId`) reaches the client only as its class (`provider unreachable`, `authentication to
 * provider failed`, `provider timed out`, `provider rejected the request`); the full error is logged.
 * `ForbiddenError` is 403, the gateway's own `AuthError` 401 with `WWW-Authenticate`, a full audit
 * backlog 503 with `Retry-After: 1`. Anything unknown is a logged 500.
 */
export const handleError: ErrorHandler<AppEnv> = (error, c) => {
  if (ForbiddenError.isInstance(error)) return c.json({ error: error.message, detail: error.message }, 403);
  if (AuditBacklogFullError.isInstance(error)) {
    c.header('Retry-After', '1');
    return c.json({ error: error.message }, 503);
  }
  if (MemoryError.isInstance(error) && error.providerId !== undefined && !UnsupportedCapabilityError.isInstance(error)) return providerFailureResponse(error, c);
  if (ValidationError.isInstance(error)) return c.json({ error: error.message, field: error.field ?? null }, 400);
  if (AuthError.isInstance(error)) {
    c.header('WWW-Authenticate', 'Token realm="memgate"');
    return c.json({ error: error.message, detail: error.message }, 401);
  }
  if (NotFoundError.isInstance(error)) return c.json({ error: error.message }, 404);
  if (ConflictError.isInstance(error)) return c.json({ error: error.message }, 409);
  if (RateLimitedError.isInstance(error)) {
    c.header('Retry-After', String(Math.max(1, Math.ceil((error.retryAfterMs ?? 1000) / 1000))));
    return c.json({ error: error.message }, 429);
  }
  if (ProviderUnavailableError.isInstance(error) || AbortedError.isInstance(error)) {
    const retryAfterMs = ProviderUnavailableError.isInstance(error) ? error.retryAfterMs : undefined;
    c.header('Retry-After', String(retryAfterMs === undefined ? defaultUnavailableRetryAfterSeconds : Math.max(1, Math.ceil(retryAfterMs / 1000))));
    return c.json({ error: error.message }, 503);
  }
  if (ProviderTimeoutError.isInstance(error)) return c.json({ error: error.message }, 504);
  if (UnsupportedCapabilityError.isInstance(error)) return c.json({ error: error.message }, 501);
  if (error instanceof HTTPException) return httpExceptionResponse(error, c);
  c.var.logger?.error({ err: error, requestId: c.var.requestId }, 'unhandled error');
  return c.json({ error: 'Internal server error', request_id: c.var.requestId ?? null }, 500);
};

/**
 * A provider's own failure: the client gets its class only (the upstream text may quote the
 * provider's body or an internal address), the log gets everything. A provider's 401/403 is the
 * gateway's configuration fault, not the caller's: 502, never 401.
 */
function providerFailureResponse(error: MemoryError, c: Context<AppEnv>): Response {
  const message = classifyProviderFailure(error);
  c.var.logger?.warn({ err: error, providerId: error.providerId, requestId: c.var.requestId }, `provider failure: ${message}`);
  if (AuthError.isInstance(error)) return c.json({ error: message, detail: message }, 502);
  if (RateLimitedError.isInstance(error)) {
    c.header('Retry-After', String(Math.max(1, Math.ceil((error.retryAfterMs ?? 1000) / 1000))));
    return c.json({ error: message }, 429);
  }
  if (ProviderTimeoutError.isInstance(error) || AbortedError.isInstance(error)) return c.json({ error: message }, 504);
  if (ValidationError.isInstance(error)) return c.json({ error: message, field: null }, 400);
  if (NotFoundError.isInstance(error)) return c.json({ error: message }, 404);
  if (ConflictError.isInstance(error)) return c.json({ error: message }, 409);
  const retryAfterMs = ProviderUnavailableError.isInstance(error) ? error.retryAfterMs : undefined;
  c.header('Retry-After', String(retryAfterMs === undefined ? defaultUnavailableRetryAfterSeconds : Math.max(1, Math.ceil(retryAfterMs / 1000))));
  return c.json({ error: message }, 503);
}

function httpExceptionResponse(error: HTTPException, c: Context<AppEnv>): Response {
  // hono's own HTTPExceptions (e.g. "Malformed JSON in request body") carry a status and a message.
  const status = error.status as ContentfulStatusCode;
  if (status === 415) return c.json({ error: 'body: send the body as JSON with Content-Type: application/json', field: 'body' }, 415);
  const message = error.message || 'Bad request';
  return c.json({ error: message, field: status === 400 ? 'body' : null }, status);
}
