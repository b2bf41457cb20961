import { AuthError, RateLimitedError, ValidationError } from '@memgate/core';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { AuditBacklogFullError } from '../errors/audit-backlog-full-error.js';
import { ForbiddenError } from '../errors/forbidden-error.js';
import { securityErrorResponse } from './security-error-response.js';

const respond = async (error: Error) => {
  const app = new Hono();
  app.get('/', () => {
    throw error;
  });
  app.onError((thrown, c) => securityErrorResponse(c, thrown) ?? c.json({ fallthrough: thrown.name }, 500));
  const response = await app.request('/');
  return { status: response.status, body: await response.json(), retryAfter: response.headers.get('retry-after') };
};

describe('securityErrorResponse', () => {
  it('maps ForbiddenError to 403 even though it is also an AuthError', async () => {
    expect(await respond(new ForbiddenError({ message: 'no' }))).toMatchObject({ status: 403, body: { detail: 'no' } });
    expect(AuthError.isInstance(new ForbiddenError({ message: 'no' }))).toBe(true);
  });

  it('maps AuthError to 401, RateLimitedError to 429 and AuditBacklogFullError to 503 with Retry-After', async () => {
    expect(await respond(new AuthError({ message: 'who?' }))).toMatchObject({ status: 401, body: { detail: 'who?' } });
    expect(await respond(new RateLimitedError({ message: 'slow', retryAfterMs: 2500 }))).toMatchObject({ status: 429, retryAfter: '3' });
    expect(await respond(new AuditBacklogFullError({ message: 'full' }))).toMatchObject({ status: 503, retryAfter: '1' });
  });

  it('leaves other errors to the app', async () => {
    expect(await respond(new ValidationError({ message: 'bad', field: 'x' }))).toMatchObject({ status: 500, body: { fallthrough: 'Memory_ValidationError' } });
  });
});
