import { ValidationError } from '@memgate/core';
import { builtInRoles, type Role } from './built-in-roles.js';
import { allPermissions, isPermission } from './permissions.js';

/** Resolves role names to permissions. */
export interface RoleRegistry {
  /** Every role, built-in first. */
  readonly roles: readonly Role[];
  /** The role with this name, or `undefined`. */
  get(name: string): Role | undefined;
  /**
   * The union of the roles' permissions plus the extra ones, deduplicated and sorted.
   * @throws ValidationError (field `roles[i]`) for an unknown role name
   */
  resolve(roleNames: readonly string[], extra?: readonly string[]): string[];
}

/**
 * A registry of the built-in roles plus custom ones. A custom role may not reuse a built-in name
 * (so `reader` always means the same thing) and may grant only known permissions.
 * @throws ValidationError (field `customRoles[i].name` / `customRoles[i].permissions[j]`) for a bad role
 */
export function createRoleRegistry(customRoles: readonly Role[] = []): RoleRegistry {
  const byName = new Map(builtInRoles.map((role) => [role.name, role]));
  customRoles.forEach((role, index) => {
    if (!/^[a-z][a-z0-9_-]{0,63}$/.test(role.name)) {
      throw new ValidationError({ message: 'role name must be 1-64 lowercase letters, digits, - or _', field: `customRoles[${index}].name` });
    }
    if (byName.has(role.name)) throw new ValidationError({ message: `role ${role.name} already exists`, field: `customRoles[${index}].name` });
    role.permissions.forEach((permission, position) => {
      if (permission !== allPermissions && !isPermission(permission)) {
        throw new ValidationError({ message: `unknown permission ${permission}`, field: `customRoles[${index}].permissions[${position}]` });
      }
    });
    byName.set(role.name, role);
  });
  return {
    roles: [...byName.values()],
    get: (name) => byName.get(name),
    resolve(roleNames, extra = []) {
      const granted = new Set<string>(extra);
      roleNames.forEach((name, index) => {
        const role = byName.get(name);
        if (!role) throw new ValidationError({ message: `unknown role ${name}`, field: `roles[${index}]` });
        for (const permission of role.permissions) granted.add(permission);
      });
      return [...granted].sort();
    },
  };
}
