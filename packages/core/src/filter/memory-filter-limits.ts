import { ValidationError } from '../errors/validation-error.js';

/** How large a filter may be: a filter is user input, parsed and translated for every provider. */
export interface MemoryFilterLimits {
  /** Nesting of AND / OR / NOT (the filter object is level 1); also how many levels of objects and arrays a condition's value may nest. */
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
 * its number of conditions and the length of every `in` list. A condition's value (under a field key)
 * may itself nest objects and arrays at most `maxDepth` levels, so no later step (parsing, matching,
 * translating for a provider) recurses without bound.
 * @throws ValidationError naming the path and the limit, e.g. `filters: nested deeper than 10 levels (limit maxDepth)`
 */
export function checkMemoryFilterLimits(input: unknown, path: string, limits: MemoryFilterLimits = defaultMemoryFilterLimits): void {
  const tooDeep = `nested deeper than ${limits.maxDepth} levels (limit maxDepth)`;
  let size = 0;
  try {
    size = JSON.stringify(input ?? null)?.length ?? 0;
  } catch (error) {
    // A 16 KiB body can nest arrays thousands deep: past the stack JSON.stringify has, and far past maxDepth.
    if (error instanceof RangeError) refuse(path, tooDeep);
    refuse(path, 'must be JSON');
  }
  if (size > limits.maxBytes) refuse(path, `larger than ${limits.maxBytes} bytes as JSON (limit maxBytes)`);
  let conditions = 0;
  const visit = (node: unknown, at: string, depth: number): void => {
    if (depth > limits.maxDepth) refuse(path, tooDeep);
    // An array in an array is no filter, but counts as a level so that nothing here recurses unbounded.
    if (Array.isArray(node)) return node.forEach((child, index) => visit(child, `${at}[${index}]`, Array.isArray(child) ? depth + 1 : depth));
    if (!isObject(node)) return;
    for (const [key, value] of Object.entries(node)) {
      if (logicalKeys.has(key)) {
        visit(value, `${at}.${key}`, depth + 1);
        continue;
      }
      conditions += key === 'metadata' && isObject(value) ? Object.keys(value).length : 1;
      if (conditions > limits.maxConditions) refuse(path, `more than ${limits.maxConditions} conditions (limit maxConditions)`);
      checkValue(key, value, `${at}.${key}`, 1);
    }
  };
  /** The `in` lists of a condition's value, and how deep the value nests. */
  const checkValue = (key: string, value: unknown, at: string, depth: number): void => {
    if (Array.isArray(value) && (key === 'in' || key === 'memory_ids') && value.length > limits.maxInValues) {
      refuse(at, `more than ${limits.maxInValues} values (limit maxInValues)`);
    }
    if (!Array.isArray(value) && !isObject(value)) return;
    if (depth > limits.maxDepth) refuse(path, tooDeep);
    if (Array.isArray(value)) value.forEach((item, index) => checkValue('', item, `${at}[${index}]`, depth + 1));
    else for (const [inner, operand] of Object.entries(value)) checkValue(inner, operand, `${at}.${inner}`, depth + 1);
  };
  visit(input, path, 1);
}
