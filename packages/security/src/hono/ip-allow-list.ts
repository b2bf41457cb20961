/**
 * @module ip-allow-list
 * Resolves the client address (honouring `X-Forwarded-For` only from trusted proxies, right-most
 * untrusted hop), stores it in `c.var.clientIp`, and refuses addresses outside the global allow-list
 * with 403. Per-key allow-lists are checked by `authenticate`, which reads `c.var.clientIp`, so put this
 * middleware first. An allow-list is defence in depth: keep authentication on every route it guards.
 * @example app.use('*', ipAllowList({ allow: ['10.0.0.0/8', '2001:db8::/32'], trustedProxies: ['10.0.0.2'] }))
 */
import type { Context, MiddlewareHandler } from 'hono';
import { checkIpAccess } from '../ip/check-ip-access.js';
import { createIpAllowList } from '../ip/create-ip-allow-list.js';
import { resolveClientIp } from '../ip/resolve-client-ip.js';
import './context-variable-map.js';
import { nodeSocket } from './node-socket.js';
import { respondToSecurityError } from './security-error-response.js';

/** Options of {@link ipAllowList}. */
export interface IpAllowListOptions {
  /** Global allow-list (CIDRs or addresses). Omit to only resolve `c.var.clientIp`. */
  allow?: readonly string[];
  /** Proxies whose `X-Forwarded-For` is believed. Default none. */
  trustedProxies?: readonly string[];
  /** The TCP peer's address. Default `c.env.incoming.socket.remoteAddress` (`@hono/node-server`). */
  remoteAddress?: (c: Context) => string | undefined;
}

/**
 * Builds the middleware.
 * @throws ValidationError naming `allow[i]` or `trustedProxies[i]` for a bad entry (at build time)
 */
export const ipAllowList = ({ allow, trustedProxies = [], remoteAddress = (c) => nodeSocket(c)?.remoteAddress }: IpAllowListOptions = {}): MiddlewareHandler => {
  const global = allow ? createIpAllowList(allow, 'allow') : undefined;
  const proxies = createIpAllowList(trustedProxies, 'trustedProxies');
  return async function ipAllowList(c, next) {
    const clientIp = resolveClientIp({ remoteAddress: remoteAddress(c), forwardedFor: c.req.header('x-forwarded-for'), trustedProxies: proxies });
    if (clientIp !== undefined) c.set('clientIp', clientIp);
    const denied = await respondToSecurityError(c, () => checkIpAccess(c.get('principal'), clientIp, global));
    if (denied) return denied;
    await next();
  };
};
