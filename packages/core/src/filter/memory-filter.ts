import type { JsonValue } from '../v1/json-value.js';
import type { MemoryScopeField } from '../v1/memory-scope.js';

/** What a filter condition looks at. */
export type MemoryFilterField =
  /** One of the scope ids (`user_id`, `agent_id`, `app_id`, `run_id`). */
  | { readonly kind: 'scope'; readonly name: MemoryScopeField }
  /** A timestamp: `created_at` (also mem0's `timestamp`) or `updated_at`. */
  | { readonly kind: 'time'; readonly name: 'createdAt' | 'updatedAt' }
  /** The memory's text (`text`, `keywords`). */
  | { readonly kind: 'text' }
  /** The memory's id (`memory_ids`). */
  | { readonly kind: 'id' }
  /** One top-level metadata key. */
  | { readonly kind: 'metadata'; readonly key: string };

/**
 * Comparison operators of mem0's v2 filter grammar. `exists` is mem0's `*`: any non-null value.
 * `contains` is case-sensitive substring (or array membership for metadata); `icontains` ignores case.
 */
export type MemoryFilterOperator = 'eq' | 'ne' | 'in' | 'gt' | 'gte' | 'lt' | 'lte' | 'contains' | 'icontains' | 'exists';

/** Every operator, in the grammar's order. */
export const memoryFilterOperators: readonly MemoryFilterOperator[] = ['eq', 'ne', 'in', 'gt', 'gte', 'lt', 'lte', 'contains', 'icontains', 'exists'];

/** One comparison. Time values are normalised to ISO 8601 strings; `in` values are arrays. */
export interface MemoryFilterCondition {
  readonly type: 'condition';
  readonly field: MemoryFilterField;
  readonly operator: MemoryFilterOperator;
  readonly value: JsonValue;
}

/**
 * A parsed filter: mem0's v2 grammar as a typed tree, parsed once by `parseMemoryFilter`
 * and translated by each provider. An `and` with no children matches everything.
 */
export type MemoryFilter =
  | { readonly type: 'and'; readonly filters: readonly MemoryFilter[] }
  | { readonly type: 'or'; readonly filters: readonly MemoryFilter[] }
  | { readonly type: 'not'; readonly filter: MemoryFilter }
  | MemoryFilterCondition;
