import { ValidationError } from '../errors/validation-error.js';
import type { JsonValue } from '../v1/json-value.js';
import type { MemoryScopeField } from '../v1/memory-scope.js';
import type { MemoryFilter, MemoryFilterField, MemoryFilterOperator } from './memory-filter.js';
import { checkMemoryFilterLimits, defaultMemoryFilterLimits, type MemoryFilterLimits } from './memory-filter-limits.js';

const scopeKeys: Record<string, MemoryScopeField> = {
  user_id: 'userId', userId: 'userId',
  agent_id: 'agentId', agentId: 'agentId',
  app_id: 'appId', appId: 'appId',
  run_id: 'runId', runId: 'runId', session_id: 'runId',
};
const timeKeys: Record<string, 'createdAt' | 'updatedAt'> = {
  created_at: 'createdAt', createdAt: 'createdAt', timestamp: 'createdAt',
  updated_at: 'updatedAt', updatedAt: 'updatedAt',
};
const textKeys = new Set(['text', 'keywords', 'keywords_search']);
/** Keys of mem0's grammar that memgate does not store, so cannot filter on. */
const unsupportedKeys = new Set(['categories', 'expiration_date']);

const allowedOperators: Record<MemoryFilterField['kind'], readonly MemoryFilterOperator[]> = {
  scope: ['eq', 'ne', 'in', 'exists'],
  time: ['eq', 'ne', 'in', 'gt', 'gte', 'lt', 'lte'],
  text: ['eq', 'ne', 'contains', 'icontains'],
  id: ['eq', 'ne', 'in'],
  metadata: ['eq', 'ne', 'in', 'gt', 'gte', 'lt', 'lte', 'contains', 'icontains', 'exists'],
};
const operatorKeys = new Set<string>(['eq', 'ne', 'in', 'gt', 'gte', 'lt', 'lte', 'contains', 'icontains', '*']);

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

const fail = (field: string, message: string): never => {
  throw new ValidationError({ field, message: `${field}: ${message}` });
};

/**
 * Parses mem0's v2/v3 filter grammar into a {@link MemoryFilter} tree.
 *
 * Accepts bare conditions (`{"user_id": "u1"}`), sibling keys (AND-ed), `AND`/`OR` arrays and `NOT`,
 * nested to any depth; operators `eq ne in gt gte lt lte contains icontains *`; metadata as
 * `{"metadata": {"key": value | {op: value}}}`; `memory_ids` as a list. camelCase scope keys are
 * accepted too, since mem0 clients forward filters verbatim.
 *
 * @param input the JSON filter object
 * @param path the name of the input in error messages (default `filters`)
 * @param limits how deep, wide and large the filter may be (default {@link defaultMemoryFilterLimits})
 * @throws ValidationError naming the offending key, operator or value (e.g. `filters.AND[1].colour: unknown filter key`),
 *   or the limit a filter exceeds (`filters: nested deeper than 10 levels (limit maxDepth)`)
 */
export function parseMemoryFilter(input: unknown, path = 'filters', limits: MemoryFilterLimits = defaultMemoryFilterLimits): MemoryFilter {
  checkMemoryFilterLimits(input, path, limits);
  return parseFilterNode(input, path);
}

function parseFilterNode(input: unknown, path: string): MemoryFilter {
  if (!isObject(input)) return fail(path, 'must be an object');
  const parts: MemoryFilter[] = [];
  for (const [key, value] of Object.entries(input)) {
    const at = `${path}.${key}`;
    if (key === 'AND' || key === 'OR') {
      if (!Array.isArray(value) || value.length === 0) fail(at, 'must be a non-empty array of filters');
      const children = (value as unknown[]).map((child, index) => parseFilterNode(child, `${at}[${index}]`));
      parts.push({ type: key === 'AND' ? 'and' : 'or', filters: children });
    } else if (key === 'NOT') {
      const inner = Array.isArray(value)
        ? { type: 'and' as const, filters: value.map((child, index) => parseFilterNode(child, `${at}[${index}]`)) }
        : parseFilterNode(value, at);
      parts.push({ type: 'not', filter: inner });
    } else if (key === 'metadata') {
      if (!isObject(value)) fail(at, 'must be an object of metadata keys');
      for (const [metaKey, metaValue] of Object.entries(value as Record<string, unknown>)) {
        parts.push(parseConditions({ kind: 'metadata', key: metaKey }, metaValue, `${at}.${metaKey}`));
      }
    } else if (key === 'memory_ids') {
      if (!Array.isArray(value) || !value.every((id) => typeof id === 'string')) fail(at, 'must be an array of memory ids');
      parts.push({ type: 'condition', field: { kind: 'id' }, operator: 'in', value: value as string[] });
    } else if (scopeKeys[key]) {
      parts.push(parseConditions({ kind: 'scope', name: scopeKeys[key] }, value, at));
    } else if (timeKeys[key]) {
      parts.push(parseConditions({ kind: 'time', name: timeKeys[key] }, value, at));
    } else if (textKeys.has(key)) {
      parts.push(parseConditions({ kind: 'text' }, value, at));
    } else if (unsupportedKeys.has(key)) {
      fail(at, 'filtering on this field is not supported by memgate');
    } else {
      fail(at, 'unknown filter key; expected AND, OR, NOT, user_id, agent_id, app_id, run_id, created_at, updated_at, text, metadata or memory_ids');
    }
  }
  return parts.length === 1 ? parts[0]! : { type: 'and', filters: parts };
}

function parseConditions(field: MemoryFilterField, value: unknown, at: string): MemoryFilter {
  // A value object whose keys are all operators is a set of comparisons; anything else is equality.
  const isOperatorObject = isObject(value) && Object.keys(value).length > 0 && Object.keys(value).every((key) => operatorKeys.has(key));
  if (isObject(value) && !isOperatorObject && field.kind !== 'metadata') {
    const unknown = Object.keys(value).find((key) => !operatorKeys.has(key));
    return fail(`${at}.${unknown ?? ''}`, `unknown operator; expected one of ${[...operatorKeys].join(', ')}`);
  }
  const entries: [string, unknown][] = isOperatorObject ? Object.entries(value as Record<string, unknown>) : [[value === '*' ? '*' : 'eq', value]];
  const conditions = entries.map(([key, operand]) => parseCondition(field, key === '*' ? 'exists' : (key as MemoryFilterOperator), operand, `${at}.${key}`));
  return conditions.length === 1 ? conditions[0]! : { type: 'and', filters: conditions };
}

function parseCondition(field: MemoryFilterField, operator: MemoryFilterOperator, operand: unknown, at: string): MemoryFilter {
  if (!allowedOperators[field.kind].includes(operator)) {
    fail(at, `operator not allowed on this field; allowed: ${allowedOperators[field.kind].map((op) => (op === 'exists' ? '*' : op)).join(', ')}`);
  }
  if (operator === 'exists') return { type: 'condition', field, operator, value: null };
  if (operator === 'in') {
    if (!Array.isArray(operand) || operand.length === 0) fail(at, 'must be a non-empty array');
    return { type: 'condition', field, operator, value: (operand as unknown[]).map((item, index) => checkOperand(field, operator, item, `${at}[${index}]`)) };
  }
  return { type: 'condition', field, operator, value: checkOperand(field, operator, operand, at) };
}

function checkOperand(field: MemoryFilterField, operator: MemoryFilterOperator, operand: unknown, at: string): JsonValue {
  if (operand === undefined) return fail(at, 'is missing a value');
  switch (field.kind) {
    case 'scope':
    case 'id':
    case 'text':
      if (typeof operand !== 'string' || operand.length === 0) fail(at, 'must be a non-empty string');
      return operand as string;
    case 'time':
      return normaliseTime(operand, at);
    case 'metadata':
      if (operator === 'icontains' && typeof operand !== 'string') fail(at, 'icontains needs a string');
      if (['gt', 'gte', 'lt', 'lte'].includes(operator) && typeof operand !== 'number' && typeof operand !== 'string') {
        fail(at, 'comparisons need a number or a string');
      }
      return operand as JsonValue;
  }
}

/** Accepts ISO 8601 strings, dates (`YYYY-MM-DD`) and epoch seconds; returns ISO 8601 in UTC. */
function normaliseTime(operand: unknown, at: string): string {
  const date = typeof operand === 'number' ? new Date(operand * 1000) : typeof operand === 'string' ? new Date(operand) : undefined;
  if (!date || Number.isNaN(date.getTime())) return fail(at, 'must be an ISO 8601 date-time or epoch seconds');
  return date.toISOString();
}
