import { andFilters, scopeFilter, type MemoryFilter, type MemoryScope } from '@memgate/core';
import { ForbiddenError } from '../errors/forbidden-error.js';
import type { SecurityPrincipal } from '../security-principal.js';
import { isBoundScope, tenantScopeFields, type TenantScope } from './tenant-scope.js';

/**
 * Narrows a request to the principal's tenant. For a scope (a write, a `deleteAll`), the bound ids
 * are filled in; for a filter (a search or listing), it is ANDed with the bound ids, so it can only
 * ever match the tenant's memories whatever else it says. An unbound principal gets the input back.
 * @throws ForbiddenError (403) when the request names another tenant: a scope with a different id in
 *   a bound field, or a filter condition anywhere in the tree (also inside OR/NOT) that asks for a
 *   different id of a bound field with `eq` or `in`
 */
export function enforceScope(principal: SecurityPrincipal | undefined, requested: MemoryScope): MemoryScope;
export function enforceScope(principal: SecurityPrincipal | undefined, requested: MemoryFilter): MemoryFilter;
export function enforceScope(principal: SecurityPrincipal | undefined, requested: MemoryScope | MemoryFilter): MemoryScope | MemoryFilter {
  const bound = principal?.scope;
  if (!isBoundScope(bound)) return requested;
  if (isFilter(requested)) {
    assertFilterWithinTenant(requested, bound);
    return andFilters(scopeFilter(bound), requested);
  }
  const narrowed: MemoryScope = { ...requested };
  for (const field of tenantScopeFields) {
    const own = bound[field];
    if (own === undefined) continue;
    if (requested[field] !== undefined && requested[field] !== own) throw crossTenant(field);
    narrowed[field] = own;
  }
  return narrowed;
}

/**
 * True when a stored record belongs to the principal's tenant (every bound field equal). Use it after
 * a get-by-id, and before an update or delete by id, and answer 404 when false so that ids of other
 * tenants are indistinguishable from ids that do not exist (OWASP API1).
 */
export function isInScope(principal: SecurityPrincipal | undefined, record: MemoryScope): boolean {
  const bound = principal?.scope;
  if (!isBoundScope(bound)) return true;
  return tenantScopeFields.every((field) => bound[field] === undefined || record[field] === bound[field]);
}

function isFilter(value: MemoryScope | MemoryFilter): value is MemoryFilter {
  const type = (value as { type?: unknown }).type;
  return type === 'and' || type === 'or' || type === 'not' || type === 'condition';
}

function assertFilterWithinTenant(filter: MemoryFilter, bound: TenantScope): void {
  if (filter.type === 'and' || filter.type === 'or') return filter.filters.forEach((child) => assertFilterWithinTenant(child, bound));
  if (filter.type === 'not') return assertFilterWithinTenant(filter.filter, bound);
  if (filter.field.kind !== 'scope' || filter.field.name === 'runId') return;
  const field = filter.field.name;
  const own = bound[field];
  if (own === undefined) return;
  const values = filter.operator === 'eq' ? [filter.value] : filter.operator === 'in' && Array.isArray(filter.value) ? filter.value : [];
  if (values.some((value) => value !== own)) throw crossTenant(field);
}

function crossTenant(field: string): ForbiddenError {
  return new ForbiddenError({ message: `This key is bound to one ${field.replace(/Id$/, '_id')} and may not use another.` });
}
