import { andFilters, type MemoryFilter, type MemoryScope } from '@memgate/core';
import { ForbiddenError } from '../errors/forbidden-error.js';
import type { SecurityPrincipal } from '../security-principal.js';
import { isBoundScope, isPrefixBinding, scopeValueMatches, tenantScopeFields, type TenantScope } from './tenant-scope.js';

/**
 * Narrows a request to the principal's tenant. For a scope (a write, a `deleteAll`), the bound ids
 * are filled in (a prefix binding must be named: there is no single id to fill in); for a filter (a
 * search or listing), it is ANDed with the bound ids, so it can only ever match the tenant's memories
 * whatever else it says. A prefix binding adds only `exists` to the filter (the grammar has no prefix
 * operator): callers must keep just the records `isInScope` accepts (`tenantScopeMiddleware` does).
 * An unbound principal gets the input back.
 * @throws ForbiddenError (403) when the request names another tenant: a scope with an id outside a
 *   bound field (or no id for a prefix-bound field), or a filter condition anywhere in the tree (also
 *   inside OR/NOT) that asks for an id outside a bound field with `eq` or `in`
 */
export function enforceScope(principal: SecurityPrincipal | undefined, requested: MemoryScope): MemoryScope;
export function enforceScope(principal: SecurityPrincipal | undefined, requested: MemoryFilter): MemoryFilter;
export function enforceScope(principal: SecurityPrincipal | undefined, requested: MemoryScope | MemoryFilter): MemoryScope | MemoryFilter {
  const bound = principal?.scope;
  if (!isBoundScope(bound)) return requested;
  if (isFilter(requested)) {
    assertFilterWithinTenant(requested, bound);
    return andFilters(tenantFilter(bound), requested);
  }
  const narrowed: MemoryScope = { ...requested };
  for (const field of tenantScopeFields) {
    const own = bound[field];
    if (own === undefined) continue;
    const named = requested[field];
    if (isPrefixBinding(own)) {
      if (named === undefined) throw new ForbiddenError({ message: `This key is bound to ${snake(field)} ${own}; name one ${snake(field)} within it.` });
      if (!scopeValueMatches(own, named)) throw crossTenant(field);
      continue;
    }
    if (named !== undefined && named !== own) throw crossTenant(field);
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
  return tenantScopeFields.every((field) => bound[field] === undefined || scopeValueMatches(bound[field]!, record[field]));
}

/** The filter a bound scope adds: `eq` for an exact binding, `exists` for a prefix one (the rest is `isInScope`'s). */
function tenantFilter(bound: TenantScope): MemoryFilter {
  return andFilters(
    ...tenantScopeFields
      .filter((field) => bound[field] !== undefined)
      .map((field): MemoryFilter => {
        const own = bound[field]!;
        return isPrefixBinding(own)
          ? { type: 'condition', field: { kind: 'scope', name: field }, operator: 'exists', value: null }
          : { type: 'condition', field: { kind: 'scope', name: field }, operator: 'eq', value: own };
      }),
  );
}

const snake = (field: string): string => field.replace(/Id$/, '_id');

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
  if (values.some((value) => typeof value !== 'string' || !scopeValueMatches(own, value))) throw crossTenant(field);
}

function crossTenant(field: string): ForbiddenError {
  return new ForbiddenError({ message: `This key is bound to one ${snake(field)} and may not use another.` });
}
