import { z } from 'zod';

/** The mark of a binding by prefix: `acme-*` binds every id that starts with `acme-`. */
export const tenantPrefixMark = '*';

const tenantId = z
  .string()
  .min(1, 'must not be empty')
  .max(255, 'must be at most 255 characters')
  .refine((value) => !value.slice(0, -1).includes(tenantPrefixMark), { message: 'may hold * only at the end (a prefix such as acme-*)' })
  .refine((value) => value !== tenantPrefixMark, { message: 'a bare * would bind nothing; give a prefix such as acme-*' });

/**
 * The tenant ids a key (or certificate) is bound to. Each set field pins that scope field of every
 * memory the principal reads or writes; unset fields are free. A value ending in `*` binds by prefix
 * (`acme-*`: every id starting with `acme-`). `runId` is not a tenant boundary (a run lives inside a
 * user/agent) and is therefore not bindable.
 */
export const tenantScopeSchema = z.strictObject({
  userId: tenantId.optional(),
  agentId: tenantId.optional(),
  appId: tenantId.optional(),
});

/** The tenant ids a principal is bound to. */
export type TenantScope = z.infer<typeof tenantScopeSchema>;

/** The bindable scope fields, in mem0's order. */
export const tenantScopeFields = ['userId', 'agentId', 'appId'] as const;

/** True when the scope binds at least one field. */
export function isBoundScope(scope: TenantScope | undefined): scope is TenantScope {
  return scope !== undefined && tenantScopeFields.some((field) => scope[field] !== undefined);
}

/** True when a bound value is a prefix binding (`acme-*`). */
export function isPrefixBinding(bound: string): boolean {
  return bound.endsWith(tenantPrefixMark);
}

/** True when a memory's id for a bound field lies inside the binding: equal, or starting with the prefix. */
export function scopeValueMatches(bound: string, value: string | undefined): boolean {
  if (value === undefined) return false;
  return isPrefixBinding(bound) ? value.startsWith(bound.slice(0, -1)) : value === bound;
}
