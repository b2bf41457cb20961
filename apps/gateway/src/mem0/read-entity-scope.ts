import { type MemoryScope, type MemoryScopeField, ValidationError } from '@memgate/core';

/** mem0's names for the scope ids as on the wire, with `session_id` as an alias of `run_id`. */
const wireNames: ReadonlyArray<readonly [string, MemoryScopeField]> = [
  ['user_id', 'userId'],
  ['agent_id', 'agentId'],
  ['app_id', 'appId'],
  ['run_id', 'runId'],
  ['session_id', 'runId'],
];

/** Every top-level entity key mem0 knows. */
export const mem0EntityKeys: readonly string[] = wireNames.map(([wire]) => wire);

/**
 * The scope named by top-level `user_id`, `agent_id`, `app_id`, `run_id` (or `session_id`) fields.
 * Null and absent ids are skipped.
 * @throws ValidationError naming the field when an id is not a string of 1 to 255 characters
 */
export function readEntityScope(input: Readonly<Record<string, unknown>>): MemoryScope {
  const scope: MemoryScope = {};
  for (const [wire, field] of wireNames) {
    const value = input[wire];
    if (value === undefined || value === null || scope[field] !== undefined) continue;
    if (typeof value !== 'string' || value.length === 0 || value.length > 255) {
      throw new ValidationError({ field: wire, message: `${wire}: must be a string of 1 to 255 characters` });
    }
    scope[field] = value;
  }
  return scope;
}

/** The top-level entity keys present in the input, for the "use filters instead" error. */
export function presentEntityKeys(input: Readonly<Record<string, unknown>>): string[] {
  return mem0EntityKeys.filter((key) => input[key] !== undefined && input[key] !== null);
}
