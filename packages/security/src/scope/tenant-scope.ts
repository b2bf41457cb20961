import { z } from 'zod';

const tenantId = z.string().min(1, 'must not be empty').max(255, 'must be at most 255 characters');

/**
 * The tenant ids a key (or certificate) is bound to. Each set field pins that scope field of every
 * memory the principal reads or writes; unset fields are free. `runId` is not a tenant boundary
 * (a run lives inside a user/agent) and is therefore not bindable.
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
