import type { JsonValue, MemoryFilter, MemoryScopeField } from '@memgate/core';

const wireScope: Record<MemoryScopeField, string> = { userId: 'user_id', agentId: 'agent_id', appId: 'app_id', runId: 'run_id' };

/** A mem0 v2 filter that matches a superset of a memgate filter, and whether it matches exactly that set. */
export interface Mem0Prefilter {
  readonly filters: Record<string, JsonValue>;
  /** True when mem0 applies the whole filter, so its answer needs no filtering afterwards. */
  readonly exact: boolean;
}

/** Matches any memory that has some entity id: mem0 requires one in every search and listing. */
export const anyEntityFilter: Record<string, JsonValue> = { OR: Object.values(wireScope).map((key) => ({ [key]: '*' })) };

/**
 * Translates a filter into mem0's v2 JSON, keeping only what mem0 evaluates the way core does:
 * scope `eq`/`in`/`*`, metadata `eq`/`contains`, and the canonical id (a metadata key). Everything
 * else (times, which live in metadata as canonical values; `ne`, whose missing-value semantics differ;
 * NOT; text) is left to the provider, which re-checks every candidate with `matchesMemoryFilter`.
 * The result always names an entity, as mem0 requires.
 */
export function translateMemoryFilter(filter: MemoryFilter): Mem0Prefilter {
  let exact = true;
  const visit = (node: MemoryFilter): Record<string, JsonValue> | undefined => {
    switch (node.type) {
      case 'and': {
        const parts = node.filters.map(visit).filter((part): part is Record<string, JsonValue> => part !== undefined);
        return parts.length === 0 ? undefined : parts.length === 1 ? parts[0] : { AND: parts };
      }
      case 'or': {
        const parts = node.filters.map(visit);
        // One untranslatable branch makes the whole OR "anything" for a superset.
        return parts.every((part) => part !== undefined) ? { OR: parts as Record<string, JsonValue>[] } : undefined;
      }
      case 'not':
        exact = false;
        return undefined;
      case 'condition': {
        const { field, operator, value } = node;
        if (field.kind === 'scope' && (operator === 'eq' || operator === 'in')) return { [wireScope[field.name]]: operator === 'eq' ? value : { in: value } };
        if (field.kind === 'scope' && operator === 'exists') return { [wireScope[field.name]]: '*' };
        if (field.kind === 'metadata' && !field.key.startsWith('memgate_') && (operator === 'eq' || operator === 'contains')) {
          return { metadata: { [field.key]: operator === 'eq' ? value : { contains: value } } };
        }
        if (field.kind === 'id' && operator === 'eq') return { metadata: { memgate_id: value } };
        exact = false;
        return undefined;
      }
    }
  };
  const translated = visit(filter);
  const filters = translated === undefined ? anyEntityFilter : namesEntity(translated) ? translated : { AND: [anyEntityFilter, translated] };
  return { filters, exact };
}

function namesEntity(node: JsonValue): boolean {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return false;
  return Object.entries(node).some(([key, value]) =>
    Object.values(wireScope).includes(key) || ((key === 'AND') && Array.isArray(value) && value.some(namesEntity)) || (key === 'OR' && Array.isArray(value) && value.length > 0 && value.every(namesEntity)),
  );
}
