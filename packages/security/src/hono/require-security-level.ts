/**
 * @module require-security-level
 * Applies a provider's or pool's security level (`public`, `api_key`, `rbac`, `mtls`, `hybrid`) to a
 * route, after `authenticate({ optional: true, ... })` has identified whoever it could.
 * @example app.post('/v3/memories/add/', requireSecurityLevel({ policy: { level: 'rbac' }, permission: 'memory:write' }), handler)
 */
import type { Context, MiddlewareHandler } from 'hono';
import { evaluateSecurityLevel, type SecurityPolicy } from '../levels/security-level.js';
import type { Permission } from '../rbac/permissions.js';
import './context-variable-map.js';
import { respondToSecurityError } from './security-error-response.js';

/** Options of {@link requireSecurityLevel}. */
export interface RequireSecurityLevelOptions {
  /** The policy, or a function choosing it per request (e.g. from the target pool). */
  policy: SecurityPolicy | ((c: Context) => SecurityPolicy);
  /** The permission the route needs under `rbac`, `mtls` and `hybrid`. */
  permission: Permission;
}

/** Builds the security-level check. */
export const requireSecurityLevel = ({ policy, permission }: RequireSecurityLevelOptions): MiddlewareHandler =>
  async function requireSecurityLevel(c, next) {
    const chosen = typeof policy === 'function' ? policy(c) : policy;
    const denied = await respondToSecurityError(c, () => evaluateSecurityLevel(chosen, c.get('principal'), permission));
    if (denied) return denied;
    await next();
  };
