import { AuthError, type SecurityLevel } from '@memgate/core';
import { checkPermission } from '../rbac/check-permission.js';
import type { Permission } from '../rbac/permissions.js';
import type { AuthMethod, SecurityPrincipal } from '../security-principal.js';

export { securityLevels, type SecurityLevel } from '@memgate/core';

/** A provider's or pool's access policy. */
export interface SecurityPolicy {
  level: SecurityLevel;
  /** For `hybrid`: the factors required together. Default `['api_key', 'mtls']`. */
  require?: readonly AuthMethod[];
}

/**
 * Decides whether a principal may perform an operation under a policy:
 * - `public`: anyone, even anonymous;
 * - `api_key`: a verified API key that holds `permission` (a reader key does not pass for a write);
 * - `rbac`: any verified identity that holds `permission`;
 * - `mtls`: a verified client certificate that holds `permission`;
 * - `hybrid`: every factor of `require` proven on this request, and `permission`.
 * @throws AuthError (401) when a required factor is missing
 * @throws ForbiddenError (403) when the factors are there but the permission is not
 */
export function evaluateSecurityLevel(policy: SecurityPolicy, principal: SecurityPrincipal | undefined, permission: Permission): void {
  const methods = new Set(principal?.authMethods ?? []);
  const need = (method: AuthMethod): void => {
    if (!principal || !methods.has(method)) {
      throw new AuthError({ message: method === 'mtls' ? 'A verified client certificate is required.' : 'A valid API key is required.' });
    }
  };
  switch (policy.level) {
    case 'public':
      return;
    case 'api_key':
      need('api_key');
      return checkPermission(principal, permission);
    case 'rbac':
      if (methods.size === 0) throw new AuthError({ message: 'Authentication required.' });
      return checkPermission(principal, permission);
    case 'mtls':
      need('mtls');
      return checkPermission(principal, permission);
    case 'hybrid':
      for (const method of policy.require ?? ['api_key', 'mtls']) need(method);
      return checkPermission(principal, permission);
  }
}
