import { ValidationError } from '@memgate/core';
import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '../errors/forbidden-error.js';
import type { SecurityPrincipal } from '../security-principal.js';
import { assertCanGrant } from './assert-can-grant.js';
import { createRoleRegistry } from './create-role-registry.js';
import { hasPermissionFor, providerGrant } from './has-permission-for.js';

const roles = createRoleRegistry();
const bootstrap: SecurityPrincipal = { id: 'admin', permissions: ['*'] };
const keyManager = (scope?: SecurityPrincipal['scope']): SecurityPrincipal => ({ id: 'km', permissions: roles.resolve(['key-manager', 'editor']), ...(scope ? { scope } : {}) });
const thrown = (work: () => void): unknown => {
  try {
    work();
  } catch (error) {
    return error;
  }
  return undefined;
};
const refused = (grantor: SecurityPrincipal, grant: Parameters<typeof assertCanGrant>[1]) => expect(ForbiddenError.isInstance(thrown(() => assertCanGrant(grantor, grant, roles)))).toBe(true);

describe('assertCanGrant', () => {
  it('lets the bootstrap key grant every role but admin, and no one grant *', () => {
    for (const role of roles.roles.filter((candidate) => candidate.name !== 'admin')) expect(() => assertCanGrant(bootstrap, { roles: [role.name] }, roles)).not.toThrow();
    refused(bootstrap, { roles: ['admin'] });
    refused(bootstrap, { permissions: ['*'] });
  });

  it('refuses a permission the grantor does not hold, naming it', () => {
    expect(() => assertCanGrant(keyManager(), { roles: ['writer'] }, roles)).not.toThrow();
    expect(() => assertCanGrant(keyManager(), { roles: ['operator'] }, roles)).toThrow(/provider:activate, provider:configure, provider:view_metrics/);
    refused(keyManager(), { permissions: ['audit:read'] });
    expect(ValidationError.isInstance(thrown(() => assertCanGrant(keyManager(), { roles: ['nobody'] }, roles)))).toBe(true);
  });

  it('refuses a scope wider than the grantor’s own, exact or by prefix', () => {
    expect(() => assertCanGrant(keyManager({ appId: 'acme' }), { roles: ['reader'], scope: { appId: 'acme', userId: 'alice' } }, roles)).not.toThrow();
    refused(keyManager({ appId: 'acme' }), { roles: ['reader'] });
    refused(keyManager({ appId: 'acme' }), { roles: ['reader'], scope: { appId: 'globex' } });
    refused(keyManager({ appId: 'acme' }), { roles: ['reader'], scope: { appId: 'acme*' } });
    expect(() => assertCanGrant(keyManager({ userId: 'acme-*' }), { roles: ['reader'], scope: { userId: 'acme-7' } }, roles)).not.toThrow();
    expect(() => assertCanGrant(keyManager({ userId: 'acme-*' }), { roles: ['reader'], scope: { userId: 'acme-eu-*' } }, roles)).not.toThrow();
    refused(keyManager({ userId: 'acme-*' }), { roles: ['reader'], scope: { userId: 'acm*' } });
    refused(keyManager({ userId: 'acme-*' }), { roles: ['reader'], scope: { userId: 'globex' } });
  });
});

describe('hasPermissionFor', () => {
  it('counts a grant limited to one provider for that provider only', () => {
    const principal: SecurityPrincipal = { id: 'p', permissions: [providerGrant('provider:activate', 'pg1'), providerGrant('provider:admin', 'pg2')] };
    expect(hasPermissionFor(principal, 'provider:activate', 'pg1')).toBe(true);
    expect(hasPermissionFor(principal, 'provider:activate', 'pg3')).toBe(false);
    expect(hasPermissionFor(principal, 'provider:activate')).toBe(false);
    expect(hasPermissionFor(principal, 'provider:delete', 'pg2')).toBe(true);
    expect(hasPermissionFor(principal, 'memory:read', 'pg2')).toBe(false);
    expect(hasPermissionFor({ id: 'a', permissions: ['*'] }, 'provider:delete', 'anything')).toBe(true);
  });
});
