import { ConflictError, generateMemoryId, memoryScopeFields, pickScope, type MemoryHistoryEvent, type MemoryProviderV1NewRecord, type MemoryRecord } from '@memgate/core';

/** One record of an `add` batch, ready for the add script. */
export interface PreparedRecord {
  readonly index: number;
  readonly record: MemoryRecord;
  readonly history: MemoryHistoryEvent;
}

/**
 * Assigns ids and times, and folds repeats of one id within the batch: the same content is one
 * write, different content a conflict (before anything is written).
 */
export function prepareAdd(records: readonly MemoryProviderV1NewRecord[], providerId: string): { unique: PreparedRecord[]; ids: string[] } {
  const now = new Date().toISOString();
  const byId = new Map<string, PreparedRecord>();
  const ids = records.map((input, index) => {
    const id = input.id ?? generateMemoryId();
    const seen = byId.get(id);
    if (seen) {
      if (seen.record.memory !== input.memory || memoryScopeFields.some((field) => seen.record[field] !== input[field])) {
        throw new ConflictError({ message: `records[${index}].id: ${id} appears twice in the batch with different content`, providerId });
      }
      return id;
    }
    const createdAt = input.createdAt === undefined ? now : new Date(input.createdAt).toISOString();
    const record: MemoryRecord = { id, memory: input.memory, ...pickScope(input), metadata: input.metadata ?? {}, createdAt, updatedAt: createdAt };
    const history: MemoryHistoryEvent = { id: generateMemoryId(), memoryId: id, ...pickScope(input), event: 'ADD', oldMemory: null, newMemory: input.memory, createdAt };
    byId.set(id, { index, record, history });
    return id;
  });
  return { unique: [...byId.values()], ids };
}

/** The add script's ten arguments for one record (see redis-scripts.ts). */
export function addArguments({ record, history }: PreparedRecord): string[] {
  return [
    record.id,
    record.memory,
    ...memoryScopeFields.map((field) => record[field] ?? ''),
    JSON.stringify(record.metadata),
    record.createdAt,
    String(Date.parse(record.createdAt)),
    JSON.stringify(history),
  ];
}
