import { describe, expect, it } from 'vitest';
import { createRoleRegistry } from './create-role-registry.js';
import { checkPermission, hasPermission } from './check-permission.js';
import { permissions, type Permission } from './permissions.js';

const roles = createRoleRegistry();
const principalWith = (roleNames: string[]) => ({ id: 'p', permissions: roles.resolve(roleNames) });

/** Expected grants per built-in role: the permission matrix. */
const matrix: Record<string, readonly Permission[]> = {
  admin: permissions,
  operator: ['provider:configure', 'provider:activate', 'provider:view_metrics', 'memory:read'],
  'provider-admin': permissions.filter((permission) => permission.startsWith('provider:')),
  'key-manager': ['provider:manage_keys'],
  reader: ['memory:read'],
  writer: ['memory:read', 'memory:write'],
  editor: ['memory:read', 'memory:write', 'memory:delete'],
  auditor: ['audit:read', 'provider:view_metrics'],
};

describe('permission matrix', () => {
  for (const [role, granted] of Object.entries(matrix)) {
    it(`role ${role} holds exactly ${granted.length} of the ${permissions.length} permissions`, () => {
      const principal = principalWith([role]);
      for (const permission of permissions) expect([permission, hasPermission(principal, permission)]).toEqual([permission, granted.includes(permission)]);
    });
  }

  it('provider:admin implies every provider:* permission and no memory or audit permission', () => {
    const principal = { id: 'p', permissions: ['provider:admin'] };
    expect(hasPermission(principal, 'provider:delete')).toBe(true);
    expect(hasPermission(principal, 'memory:read')).toBe(false);
    expect(hasPermission(principal, 'audit:read')).toBe(false);
  });

  it('checkPermission throws 401-class without a principal and 403-class for a missing permission', () => {
    expect(() => checkPermission(undefined, 'memory:read')).toThrow(expect.objectContaining({ name: 'Memory_AuthError' }));
    expect(() => checkPermission(principalWith(['reader']), 'memory:write')).toThrow(expect.objectContaining({ name: 'Security_ForbiddenError', statusCode: 403 }));
    expect(() => checkPermission(principalWith(['reader']), 'memory:read')).not.toThrow();
  });

  it('rejects custom roles that shadow a built-in one or grant unknown permissions, naming the field', () => {
    expect(() => createRoleRegistry([{ name: 'reader', permissions: [] }])).toThrow(expect.objectContaining({ field: 'customRoles[0].name' }));
    expect(() => createRoleRegistry([{ name: 'x', permissions: ['memory:read', 'memory:fly' as Permission] }])).toThrow(
      expect.objectContaining({ field: 'customRoles[0].permissions[1]' }),
    );
  });
});
