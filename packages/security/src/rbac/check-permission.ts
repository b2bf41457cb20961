import { AuthError } from '@memgate/core';
import { ForbiddenError } from '../errors/forbidden-error.js';
import type { SecurityPrincipal } from '../security-principal.js';
import { permissionCovers, type Permission } from './permissions.js';

/** True when the principal's permissions cover the wanted one (see `permissionCovers`). */
export function hasPermission(principal: SecurityPrincipal | undefined, permission: Permission): boolean {
  return (principal?.permissions ?? []).some((granted) => permissionCovers(granted, permission));
}

/**
 * Asserts that the principal holds a permission.
 * @throws AuthError (401) when there is no principal
 * @throws ForbiddenError (403) when the principal lacks the permission
 */
export function checkPermission(principal: SecurityPrincipal | undefined, permission: Permission): void {
  if (!principal) throw new AuthError({ message: 'Authentication required.' });
  if (!hasPermission(principal, permission)) {
    throw new ForbiddenError({ message: `This key lacks the ${permission} permission.` });
  }
}
