import { AuthError, RateLimitedError } from '@memgate/core';
import type { Context } from 'hono';
import { AuditBacklogFullError } from '../errors/audit-backlog-full-error.js';
import { ForbiddenError } from '../errors/forbidden-error.js';

/**
 * The HTTP answer to a security error, in mem0's body shape (`{"detail": "..."}`): ForbiddenError 403,
 * AuthError 401 (with `WWW-Authenticate`), RateLimitedError 429 (with `Retry-After` in whole
 * seconds), AuditBacklogFullError 503. Returns `undefined` for any other error, so an app's `onError`
 * can try this first and fall through: `return securityErrorResponse(c, error) ?? ...`.
 */
export function securityErrorResponse(c: Context, error: unknown): Response | undefined {
  if (ForbiddenError.isInstance(error)) return c.json({ detail: error.message }, 403);
  if (AuthError.isInstance(error)) {
    c.header('WWW-Authenticate', 'Token realm="memgate"');
    return c.json({ detail: error.message }, 401);
  }
  if (RateLimitedError.isInstance(error)) {
    c.header('Retry-After', String(Math.max(1, Math.ceil((error.retryAfterMs ?? 1000) / 1000))));
    return c.json({ detail: error.message }, 429);
  }
  if (AuditBacklogFullError.isInstance(error)) {
    c.header('Retry-After', '1');
    return c.json({ detail: 'The service is busy; try again shortly.' }, 503);
  }
  return undefined;
}

/** Runs a check and turns a security error into its response; other errors propagate. */
export async function respondToSecurityError(c: Context, check: () => unknown): Promise<Response | undefined> {
  try {
    await check();
    return undefined;
  } catch (error) {
    const response = securityErrorResponse(c, error);
    if (response) return response;
    throw error;
  }
}
