/** Every permission memgate knows, from SPEC-020 plus the data-plane and audit ones. */
export const permissions = [
  'provider:register',
  'provider:configure',
  'provider:activate',
  'provider:delete',
  'provider:view_metrics',
  'provider:manage_keys',
  'provider:admin',
  'memory:read',
  'memory:write',
  'memory:delete',
  'audit:read',
] as const;

/** One permission. */
export type Permission = (typeof permissions)[number];

/** Granted as a permission, `*` means every permission (the gateway's admin key uses it). */
export const allPermissions = '*';

const known = new Set<string>(permissions);

/** True when the string is a known permission. */
export function isPermission(value: string): value is Permission {
  return known.has(value);
}

/**
 * True when the granted permission covers the wanted one: equal, `*`, or `provider:admin`
 * (which implies every `provider:*` permission, as in SPEC-020).
 */
export function permissionCovers(granted: string, wanted: string): boolean {
  if (granted === wanted || granted === allPermissions) return true;
  return granted === 'provider:admin' && wanted.startsWith('provider:');
}
