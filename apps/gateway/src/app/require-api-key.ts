/**
 * @module require-api-key
 * Rejects requests without a valid key with 401. The key is read from `Authorization: Token <key>`
 * (mem0's scheme), `Authorization: Bearer <key>` or `X-API-Key: <key>`.
 * @example app.use('*', requireApiKey({ authenticator, publicPaths: ['/healthz'] }))
 */
import { AuthError } from '@memgate/core';
import type { MiddlewareHandler } from 'hono';
import type { ApiKeyAuthenticator } from '../auth/api-key-authenticator.js';
import type { AppEnv } from './app-env.js';

/** Options of {@link requireApiKey}. */
export interface RequireApiKeyOptions {
  /** Who a key belongs to. */
  authenticator: ApiKeyAuthenticator;
  /** Paths (exact, trailing slash ignored) that need no key. Default none. */
  publicPaths?: readonly string[];
}

/** Reads the presented key from the request headers, or `undefined` when there is none. */
export function readApiKey(headers: Headers): string | undefined {
  const authorization = headers.get('authorization')?.trim();
  if (authorization) {
    const match = /^(token|bearer)\s+(.+)$/i.exec(authorization);
    return match ? match[2]!.trim() : undefined;
  }
  return headers.get('x-api-key')?.trim() || undefined;
}

/** The key check middleware; sets `c.var.principal` on success. */
export const requireApiKey = ({ authenticator, publicPaths = [] }: RequireApiKeyOptions): MiddlewareHandler<AppEnv> => {
  const open = new Set(publicPaths.map((path) => path.replace(/\/+$/, '')));
  return async function requireApiKey(c, next) {
    if (open.has(c.req.path.replace(/\/+$/, ''))) return next();
    const key = readApiKey(c.req.raw.headers);
    if (!key) throw new AuthError({ message: 'Authentication required: send Authorization: Token <key>, Bearer <key> or X-API-Key.' });
    const principal = await authenticator.authenticate(key);
    if (!principal) throw new AuthError({ message: 'Invalid API key.' });
    c.set('principal', principal);
    await next();
  };
};
