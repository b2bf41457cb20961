import type { JsonValue } from '../v1/json-value.js';
import type { MemoryRecord } from '../v1/memory-record.js';
import type { MemoryFilter, MemoryFilterCondition } from './memory-filter.js';

/**
 * Evaluates a filter against one memory, in process. The reference semantics that
 * every provider's translation (SQL, mem0 JSON, …) must agree with.
 */
export function matchesMemoryFilter(record: MemoryRecord, filter: MemoryFilter): boolean {
  switch (filter.type) {
    case 'and':
      return filter.filters.every((child) => matchesMemoryFilter(record, child));
    case 'or':
      return filter.filters.some((child) => matchesMemoryFilter(record, child));
    case 'not':
      return !matchesMemoryFilter(record, filter.filter);
    case 'condition':
      return matchesCondition(fieldValue(record, filter), filter);
  }
}

function fieldValue(record: MemoryRecord, { field }: MemoryFilterCondition): JsonValue | undefined {
  switch (field.kind) {
    case 'scope':
      return record[field.name];
    case 'time':
      return record[field.name];
    case 'text':
      return record.memory;
    case 'id':
      return record.id;
    case 'metadata':
      return record.metadata[field.key];
  }
}

function matchesCondition(actual: JsonValue | undefined, { operator, value, field }: MemoryFilterCondition): boolean {
  if (operator === 'exists') return actual !== undefined && actual !== null;
  // SQL semantics: a missing value matches no comparison except `ne`, where it counts as different.
  if (actual === undefined || actual === null) return operator === 'ne' && value !== null;
  const compare = field.kind === 'time' ? (a: JsonValue) => Date.parse(a as string) : (a: JsonValue) => a;
  switch (operator) {
    case 'eq':
      return jsonEqual(actual, value);
    case 'ne':
      return !jsonEqual(actual, value);
    case 'in':
      return (value as JsonValue[]).some((item) => jsonEqual(actual, item));
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      if (typeof actual !== typeof value || (typeof actual !== 'number' && typeof actual !== 'string')) return false;
      const left = compare(actual) as number | string;
      const right = compare(value) as number | string;
      return operator === 'gt' ? left > right : operator === 'gte' ? left >= right : operator === 'lt' ? left < right : left <= right;
    }
    case 'contains':
      if (typeof actual === 'string') return typeof value === 'string' && actual.includes(value);
      if (Array.isArray(actual)) return actual.some((item) => jsonEqual(item, value));
      return false;
    case 'icontains':
      return typeof actual === 'string' && typeof value === 'string' && actual.toLowerCase().includes(value.toLowerCase());
  }
}

/** Deep equality of JSON values (object key order ignored). */
export function jsonEqual(left: JsonValue, right: JsonValue): boolean {
  if (left === right) return true;
  if (typeof left !== 'object' || typeof right !== 'object' || left === null || right === null) return false;
  if (Array.isArray(left) !== Array.isArray(right)) return false;
  if (Array.isArray(left)) {
    const other = right as JsonValue[];
    return left.length === other.length && left.every((item, index) => jsonEqual(item, other[index]!));
  }
  const leftKeys = Object.keys(left);
  const rightObject = right as Record<string, JsonValue>;
  return leftKeys.length === Object.keys(rightObject).length && leftKeys.every((key) => key in rightObject && jsonEqual(left[key]!, rightObject[key]!));
}
