import { isUuid, ValidationError } from '@memgate/core';

/**
 * Checks a memory id from a path or body as mem0 does.
 * @param field the name of the input in the error (default `memory_id`)
 * @throws ValidationError "memory_id should be a valid UUID" when it is not a UUID
 */
export function readMemoryId(id: unknown, field = 'memory_id'): string {
  if (typeof id !== 'string' || !isUuid(id)) throw new ValidationError({ field, message: `${field} should be a valid UUID` });
  return id.toLowerCase();
}
