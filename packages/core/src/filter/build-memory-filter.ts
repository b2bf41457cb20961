import { memoryScopeFields, type MemoryScope } from '../v1/memory-scope.js';
import type { MemoryFilter } from './memory-filter.js';

/** The filter that matches everything. */
export const matchAllFilter: MemoryFilter = { type: 'and', filters: [] };

/** AND of several filters, flattening nested ANDs and dropping match-all ones. */
export function andFilters(...filters: MemoryFilter[]): MemoryFilter {
  const flat: MemoryFilter[] = [];
  for (const filter of filters) {
    if (filter.type === 'and') flat.push(...filter.filters);
    else flat.push(filter);
  }
  return flat.length === 1 ? flat[0]! : { type: 'and', filters: flat };
}

/** A filter that matches exactly the memories whose scope fields equal the given ones. */
export function scopeFilter(scope: MemoryScope): MemoryFilter {
  return andFilters(
    ...memoryScopeFields
      .filter((name) => scope[name] !== undefined)
      .map((name): MemoryFilter => ({ type: 'condition', field: { kind: 'scope', name }, operator: 'eq', value: scope[name]! })),
  );
}

/**
 * The scope ids that a filter pins with `eq` at its top level (outside OR/NOT).
 * Used to check that a search or listing names an entity, as mem0 requires.
 */
export function pinnedScope(filter: MemoryFilter): MemoryScope {
  const scope: MemoryScope = {};
  const visit = (node: MemoryFilter): void => {
    if (node.type === 'and') node.filters.forEach(visit);
    else if (node.type === 'condition' && node.field.kind === 'scope' && node.operator === 'eq' && typeof node.value === 'string') {
      scope[node.field.name] = node.value;
    }
  };
  visit(filter);
  return scope;
}
