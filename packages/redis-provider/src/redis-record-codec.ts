import { memoryScopeFields, type MemoryHistoryEvent, type MemoryMetadata, type MemoryRecord } from '@memgate/core';

/**
 * Turns a memory's hash (as HGETALL returns it: a flat list or an object of fields) into a record.
 * Returns null for an empty hash, which is how Redis answers for a missing key.
 */
export function decodeMemoryHash(id: string, hash: Record<string, string> | readonly string[] | null | undefined): MemoryRecord | null {
  const fields = Array.isArray(hash) ? pairsToObject(hash) : (hash as Record<string, string> | null | undefined);
  if (!fields || fields.memory === undefined) return null;
  const record: MemoryRecord = {
    id,
    memory: fields.memory,
    metadata: JSON.parse(fields.metadata ?? '{}') as MemoryMetadata,
    createdAt: fields.createdAt!,
    updatedAt: fields.updatedAt!,
  };
  for (const field of memoryScopeFields) if (fields[field] !== undefined) record[field] = fields[field];
  return record;
}

/** Parses one history entry as stored in a `h:<id>` list. */
export function decodeHistoryEvent(json: string): MemoryHistoryEvent {
  return JSON.parse(json) as MemoryHistoryEvent;
}

function pairsToObject(pairs: readonly string[]): Record<string, string> {
  const object: Record<string, string> = {};
  for (let index = 0; index + 1 < pairs.length; index += 2) object[pairs[index]!] = pairs[index + 1]!;
  return object;
}
