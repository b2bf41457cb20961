import { type MemoryMetadata, type MemoryProviderV1NewRecord, type MemoryProviderV1Patch, type MemoryRecord } from '@memgate/core';
import { patchAlreadyApplied } from './patch-already-applied.js';
import type { JournalEntry } from './write-journal.js';

/**
 * A memory as a member will hold it once it has applied these journal entries (its pending entries of
 * that memory, oldest first) on top of what it holds now: the same rules as `applyJournalEntries`, in
 * memory. Lets a read be answered from a member that lags, with the journal's newer writes, while the
 * member that has them is down.
 * @returns the record, `null` when the memory is deleted (or never added), or `undefined` when the entries
 *   cannot be replayed onto `current` (an update of a memory the member does not hold and no add before it)
 */
export function replayOntoRecord(current: MemoryRecord | null, entries: readonly JournalEntry[]): MemoryRecord | null | undefined {
  let record: MemoryRecord | null = current;
  for (const entry of entries) {
    if (entry.op === 'delete') {
      record = null;
    } else if (entry.op === 'add') {
      if (record === null) record = fromNewRecord(entry.payload as MemoryProviderV1NewRecord, entry.memoryId);
    } else {
      if (record === null) return undefined;
      const patch = entry.payload as MemoryProviderV1Patch;
      if (patchAlreadyApplied(record, patch)) continue;
      record = { ...record, ...(patch.memory === undefined ? {} : { memory: patch.memory }), ...(patch.metadata === undefined ? {} : { metadata: patch.metadata as MemoryMetadata }), updatedAt: patch.updatedAt ?? record.updatedAt };
    }
  }
  return record;
}

function fromNewRecord(added: MemoryProviderV1NewRecord, id: string): MemoryRecord {
  const { embedding: _embedding, id: _id, createdAt, metadata, ...rest } = added;
  const at = createdAt ?? new Date(0).toISOString();
  return { ...rest, id, metadata: (metadata ?? {}) as MemoryMetadata, createdAt: at, updatedAt: at };
}
