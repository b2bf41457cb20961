import type { SecurityPrincipal } from '../security-principal.js';
import { permissionCovers, type Permission } from './permissions.js';

/** Separates a permission from the one provider it is limited to: `provider:configure@pg_primary`. */
export const providerGrantSeparator = '@';

/** A permission limited to one provider, as a grant string: `provider:configure@pg_primary`. */
export function providerGrant(permission: Permission, provider: string): string {
  return `${permission}${providerGrantSeparator}${provider}`;
}

/**
 * True when the principal may do `permission`, on `provider` when the action targets one. A grant
 * limited to one provider (`provider:activate@pg_primary`, made by `POST /providers/{name}/api-keys`)
 * covers the permission for that provider only, never for the pool or another provider.
 */
export function hasPermissionFor(principal: SecurityPrincipal | undefined, permission: Permission, provider?: string): boolean {
  return (principal?.permissions ?? []).some((granted) => {
    const at = granted.indexOf(providerGrantSeparator);
    if (at < 0) return permissionCovers(granted, permission);
    return provider !== undefined && granted.slice(at + 1) === provider && permissionCovers(granted.slice(0, at), permission);
  });
}
