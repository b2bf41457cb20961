import { ForbiddenError } from '../errors/forbidden-error.js';
import { isPrefixBinding, scopeValueMatches, tenantScopeFields, type TenantScope } from '../scope/tenant-scope.js';
import type { SecurityPrincipal } from '../security-principal.js';
import type { RoleRegistry } from './create-role-registry.js';
import { allPermissions, permissionCovers } from './permissions.js';

/** What a new key (or a changed one) would hold. */
export interface Grant {
  readonly roles?: readonly string[];
  readonly permissions?: readonly string[];
  readonly scope?: TenantScope;
}

/**
 * Asserts that the grantor may hand out a grant: no one grants what they do not hold. Every
 * permission the grant resolves to must be covered by one of the grantor's; `*` (and the `admin`
 * role, which is `*`) is the bootstrap key's alone and is never granted; and the grant's scope must
 * lie inside the grantor's: each field the grantor is bound to must be bound in the grant to the
 * same id, or, under a prefix binding, to an id or a narrower prefix inside it.
 * @throws ValidationError (from the registry) for an unknown role
 * @throws ForbiddenError (403) naming what the grantor may not grant
 */
export function assertCanGrant(grantor: SecurityPrincipal, grant: Grant, roles: RoleRegistry): void {
  const wanted = roles.resolve(grant.roles ?? [], grant.permissions ?? []);
  if (wanted.includes(allPermissions)) throw new ForbiddenError({ message: 'No key can be granted * (the admin role): it belongs to the bootstrap key alone.' });
  const held = grantor.permissions ?? [];
  const missing = wanted.filter((permission) => !held.some((granted) => permissionCovers(granted, permission)));
  if (missing.length > 0) throw new ForbiddenError({ message: `You cannot grant ${missing.join(', ')}: your key does not hold ${missing.length === 1 ? 'it' : 'them'}.` });
  const own = grantor.scope ?? {};
  for (const field of tenantScopeFields) {
    const bound = own[field];
    if (bound === undefined) continue;
    const granted = grant.scope?.[field];
    if (granted === undefined || !withinBinding(bound, granted)) {
      throw new ForbiddenError({ message: `You cannot grant a scope wider than your own: your key is bound to ${field.replace(/Id$/, '_id')} ${bound}.` });
    }
  }
}

/** True when a granted binding (an id or a prefix) lies inside the grantor's binding. */
function withinBinding(bound: string, granted: string): boolean {
  if (!isPrefixBinding(granted)) return scopeValueMatches(bound, granted);
  if (!isPrefixBinding(bound)) return false;
  return granted.slice(0, -1).startsWith(bound.slice(0, -1));
}
