import { type MemoryFilter, parseMemoryFilter, ValidationError } from '@memgate/core';

/**
 * Parses a search or listing's `filters` with core's mem0 v2 grammar and checks that it names an
 * entity (a user, agent, app or run id somewhere in the tree), as mem0 requires.
 * @throws ValidationError naming the filter key or operator at fault, or `filters` when no entity id is given
 */
export function parseMem0Filters(filters: unknown): MemoryFilter {
  if (filters === undefined || filters === null) {
    throw new ValidationError({ field: 'filters', message: 'filters: required, and must hold an entity id (user_id, agent_id, app_id or run_id)' });
  }
  const filter = parseMemoryFilter(filters, 'filters');
  if (!mentionsEntity(filter)) {
    throw new ValidationError({ field: 'filters', message: 'filters: must hold at least one entity id (user_id, agent_id, app_id or run_id)' });
  }
  return filter;
}

function mentionsEntity(filter: MemoryFilter): boolean {
  switch (filter.type) {
    case 'and':
    case 'or':
      return filter.filters.some(mentionsEntity);
    case 'not':
      return false;
    case 'condition':
      return filter.field.kind === 'scope';
  }
}
