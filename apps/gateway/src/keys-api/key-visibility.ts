import { assertCanGrant, ForbiddenError, type ApiKeyRecord, type RoleRegistry, type SecurityPrincipal } from '@memgate/security';

/**
 * True when the caller could have granted the key: then it may see, rotate and revoke it. A key
 * manager bound to a tenant, or holding fewer permissions, never touches a wider key (and the
 * bootstrap key, which holds `*`, touches every key).
 */
export function canManageKey(principal: SecurityPrincipal | undefined, record: ApiKeyRecord, roles: RoleRegistry): boolean {
  if (!principal) return false;
  if (principal.permissions?.includes('*')) return true;
  try {
    assertCanGrant(principal, { roles: record.roles, permissions: record.permissions, ...(record.scope ? { scope: record.scope } : {}) }, roles);
    return true;
  } catch (error) {
    if (ForbiddenError.isInstance(error)) return false;
    throw error;
  }
}
