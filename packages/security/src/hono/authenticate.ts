/**
 * @module authenticate
 * Identifies the caller by API key (`Authorization: Token <key>`, `Bearer <key>` or `X-API-Key`),
 * by verified client certificate (mTLS), or both, and sets `c.var.principal`. Missing or bad
 * credentials get 401 `{"detail": "..."}`; a key used from outside its own IP allow-list gets 403.
 * @example
 * const keys = createKeyManager({ store: createInMemoryKeyStore() });
 * app.use('*', authenticate({ keys, publicPaths: ['/v1/ping'] }));
 * app.post('/v3/memories/add/', requirePermission('memory:write'), handler);
 */
import { AuthError } from '@memgate/core';
import type { Context, MiddlewareHandler } from 'hono';
import type { TLSSocket } from 'node:tls';
import { ForbiddenError } from '../errors/forbidden-error.js';
import { checkIpAccess } from '../ip/check-ip-access.js';
import { rateLimitAddress } from '../ip/rate-limit-address.js';
import { resolveClientIp } from '../ip/resolve-client-ip.js';
import { principalFromCertificate, type CertificatePrincipalOptions } from '../mtls/principal-from-certificate.js';
import type { RateLimiter } from '../rate-limit/create-rate-limiter.js';
import { isBoundScope, tenantScopeFields, type TenantScope } from '../scope/tenant-scope.js';
import type { AuthMethod, SecurityPrincipal } from '../security-principal.js';
import './context-variable-map.js';
import { nodeSocket } from './node-socket.js';
import { readApiKey } from './read-api-key.js';
import { respondToSecurityError } from './security-error-response.js';

/** Anything that turns a presented key into a principal: a `KeyManager`, or the gateway's `ApiKeyAuthenticator`. */
export interface KeyAuthenticator {
  /** The key's principal, or `null` for a bad key. Must not throw for a bad key. */
  authenticate(key: string): Promise<SecurityPrincipal | null>;
}

/** Options of {@link authenticate}. */
export interface AuthenticateOptions {
  /** Verifies API keys. Omit to accept certificates only. */
  keys?: KeyAuthenticator;
  /** Maps verified client certificates. Omit to accept keys only. */
  certificates?: CertificatePrincipalOptions & {
    /** Where the TLS socket is. Default `c.env.incoming.socket` (`@hono/node-server`). */
    socket?: (c: Context) => Pick<TLSSocket, 'authorized' | 'getPeerCertificate'> | undefined;
  };
  /** Let anonymous requests through without a principal (for `public` routes guarded later). Default false. */
  optional?: boolean;
  /** Paths (exact, trailing slash ignored) that skip authentication. Default none. */
  publicPaths?: readonly string[];
  /**
   * Limits failed attempts per client IP (OWASP API2, key guessing). When its bucket is empty the
   * request gets 429 before any key is looked at. Default none.
   */
  failureLimiter?: RateLimiter;
}

/** Builds the authentication middleware. */
export const authenticate = ({ keys, certificates, optional = false, publicPaths = [], failureLimiter }: AuthenticateOptions): MiddlewareHandler => {
  const open = new Set(publicPaths.map((path) => path.replace(/\/+$/, '')));
  return async function authenticate(c, next) {
    if (open.has(c.req.path.replace(/\/+$/, ''))) return next();
    const clientIp = c.get('clientIp') ?? resolveClientIp({ remoteAddress: nodeSocket(c)?.remoteAddress });
    // IPv6 by its /64: a client picking a fresh address in its own /64 keeps its bucket.
    const failureKey = `auth-fail:${rateLimitAddress(clientIp)}`;
    const denied = await respondToSecurityError(c, async () => {
      if (failureLimiter) {
        // Peek: refuse while the bucket is empty, without charging successful requests.
        // A take of 1 then fails (a refused take spends nothing) and carries the right retryAfterMs.
        if ((await peek(failureLimiter, failureKey)) < 1) await failureLimiter.consume(failureKey);
      }
      const socket = certificates ? (certificates.socket ?? nodeSocket)(c) : undefined;
      const fromCertificate = certificates ? principalFromCertificate(socket as TLSSocket | undefined, certificates) : null;
      const presented = readApiKey(c.req.raw.headers);
      const verified = keys && presented !== undefined ? await keys.authenticate(presented) : null;
      // A plain MemoryPrincipal (e.g. the gateway's admin key) says nothing of how it was proven: a key was.
      const fromKey = verified && !verified.authMethods ? { ...verified, authMethods: ['api_key' as const] } : verified;
      if (presented !== undefined && keys && !fromKey) {
        await failureLimiter?.consume(failureKey).catch(() => undefined);
        throw new AuthError({ message: 'Invalid API key.' });
      }
      const principal = merge(fromKey, fromCertificate);
      if (!principal) {
        if (optional) return;
        throw new AuthError({ message: 'Authentication credentials were not provided.' });
      }
      checkIpAccess(principal, clientIp);
      c.set('principal', principal);
    });
    if (denied) return denied;
    await next();
  };
};

/**
 * Key and certificate together: they must belong to one principal (the certificate's identity lists
 * the key's id in `apiKeyIds`). The key is then the identity (its permissions apply), the certificate
 * adds the `mtls` factor, and both tenant bindings apply (field by field; a conflict is refused).
 * @throws ForbiddenError when the key is not one of the certificate identity's keys, or the two are bound to different tenants
 */
function merge(fromKey: SecurityPrincipal | null, fromCertificate: SecurityPrincipal | null): SecurityPrincipal | null {
  if (!fromKey || !fromCertificate) return fromKey ?? fromCertificate;
  if (!(fromCertificate.apiKeyIds ?? []).includes(fromKey.keyId ?? fromKey.id)) {
    throw new ForbiddenError({ message: `The API key and the client certificate belong to different principals (certificate identity "${fromCertificate.id}").` });
  }
  const methods = new Set<AuthMethod>([...(fromKey.authMethods ?? []), ...(fromCertificate.authMethods ?? [])]);
  const scope: TenantScope = { ...fromCertificate.scope, ...fromKey.scope };
  for (const field of tenantScopeFields) {
    const own = fromKey.scope?.[field];
    const certified = fromCertificate.scope?.[field];
    if (own !== undefined && certified !== undefined && own !== certified) {
      throw new ForbiddenError({ message: 'The API key and the client certificate are bound to different tenants.' });
    }
  }
  return { ...fromKey, authMethods: [...methods], certificateId: fromCertificate.id, ...(isBoundScope(scope) ? { scope } : {}) };
}

/** Tokens left in a limiter's bucket without spending any (a zero-cost take). */
async function peek(limiter: RateLimiter, key: string): Promise<number> {
  const result = await limiter.consume(key, 0);
  return result.remaining;
}
