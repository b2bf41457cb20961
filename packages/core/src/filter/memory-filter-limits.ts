import { ValidationError } from '../errors/validation-error.js';

/** How large a filter may be: a filter is user input, parsed and translated for every provider. */
export interface MemoryFilterLimits {
  /** Nesting of AND / OR / NOT. */
  readonly maxDepth: number;
  /** Conditions in the whole tree (each field comparison, each metadata key). */
  readonly maxConditions: number;
  /** Values in one `in` list (and in `memory_ids`). */
  readonly maxInValues: number;
  /** Length of the filter as JSON text. */
  readonly maxBytes: number;
}

/** The limits `parseMemoryFilter` applies unless told otherwise. */
export const defaultMemoryFilterLimits: MemoryFilterLimits = { maxDepth: 10, maxConditions: 100, maxInValues: 100, maxBytes: 16_384 };

const logicalKeys = new Set(['AND', 'OR', 'NOT']);
const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
const refuse = (field: string, message: string): never => {
  throw new ValidationError({ field, message: `${field}: ${message}` });
};

/**
 * Checks a raw filter against the limits before it is parsed: its size first (cheap), then its depth,
 * its number of conditions and the length of every `in` list.
 * @throws ValidationError naming the path and the limit, e.g. `filters: nested deeper than 10 levels (limit maxDepth)`
 */
export function checkMemoryFilterLimits(input: unknown, path: string, limits: MemoryFilterLimits = defaultMemoryFilterLimits): void {
  const size = JSON.stringify(input ?? null)?.length ?? 0;
  if (size > limits.maxBytes) refuse(path, `larger than ${limits.maxBytes} bytes as JSON (limit maxBytes)`);
  let conditions = 0;
  const visit = (node: unknown, at: string, depth: number): void => {
    if (depth > limits.maxDepth) refuse(path, `nested deeper than ${limits.maxDepth} levels (limit maxDepth)`);
    if (Array.isArray(node)) return node.forEach((child, index) => visit(child, `${at}[${index}]`, depth));
    if (!isObject(node)) return;
    for (const [key, value] of Object.entries(node)) {
      if (logicalKeys.has(key)) {
        visit(value, `${at}.${key}`, depth + 1);
        continue;
      }
      conditions += key === 'metadata' && isObject(value) ? Object.keys(value).length : 1;
      if (conditions > limits.maxConditions) refuse(path, `more than ${limits.maxConditions} conditions (limit maxConditions)`);
      checkInLists(key, value, `${at}.${key}`, limits);
    }
  };
  visit(input, path, 1);
}

function checkInLists(key: string, value: unknown, at: string, limits: MemoryFilterLimits): void {
  if (Array.isArray(value) && (key === 'in' || key === 'memory_ids') && value.length > limits.maxInValues) {
    refuse(at, `more than ${limits.maxInValues} values (limit maxInValues)`);
  }
  if (isObject(value)) for (const [inner, operand] of Object.entries(value)) checkInLists(inner, operand, `${at}.${inner}`, limits);
}
