/**
 * @module require-permission
 * Lets the request through only when `c.var.principal` holds a permission: 401 without a principal,
 * 403 with one that lacks it, both as `{"detail": "..."}`.
 * @example app.delete('/v1/memories/:id/', requirePermission('memory:delete'), handler)
 */
import type { MiddlewareHandler } from 'hono';
import { checkPermission } from '../rbac/check-permission.js';
import type { Permission } from '../rbac/permissions.js';
import './context-variable-map.js';
import { respondToSecurityError } from './security-error-response.js';

/** Builds the permission check for one permission. */
export const requirePermission = (permission: Permission): MiddlewareHandler =>
  async function requirePermission(c, next) {
    const denied = await respondToSecurityError(c, () => checkPermission(c.get('principal'), permission));
    if (denied) return denied;
    await next();
  };
