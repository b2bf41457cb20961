import {
  AbortedError,
  AuthError,
  ConflictError,
  NotFoundError,
  ProviderTimeoutError,
  ProviderUnavailableError,
  RateLimitedError,
  UnsupportedCapabilityError,
  ValidationError,
} from '@memgate/core';
import type { Context, ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from './app-env.js';

/** Seconds a caller should wait after a 503 when the provider gave no better figure. */
const defaultUnavailableRetryAfterSeconds = 5;

/**
 * The app's one `onError`: maps core's error classes to HTTP statuses and mem0-style bodies
 * (`{"error": "..."}`, plus `field` for validation errors and `detail` for auth errors, since the
 * mem0 client turns the body text into its error message). Anything unknown is a logged 500.
 */
export const handleError: ErrorHandler<AppEnv> = (error, c) => {
  if (ValidationError.isInstance(error)) return c.json({ error: error.message, field: error.field ?? null }, 400);
  if (AuthError.isInstance(error)) return c.json({ error: error.message, detail: error.message }, 401);
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

function httpExceptionResponse(error: HTTPException, c: Context<AppEnv>): Response {
  // hono's own HTTPExceptions (e.g. "Malformed JSON in request body") carry a status and a message.
  const status = error.status as ContentfulStatusCode;
  if (status === 415) return c.json({ error: 'body: send the body as JSON with Content-Type: application/json', field: 'body' }, 415);
  const message = error.message || 'Bad request';
  return c.json({ error: message, field: status === 400 ? 'body' : null }, status);
}
