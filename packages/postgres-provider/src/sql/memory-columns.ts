import { memories } from '../schema/memories.js';
import { memoryHistory } from '../schema/memory-history.js';
import type { MemoryHistoryEvent, MemoryRecord, MemoryScope } from '@memgate/core';

/** The columns a record is read from: all but the search vector, which only the database needs. */
export const recordColumns = {
  id: memories.id,
  userId: memories.userId,
  agentId: memories.agentId,
  appId: memories.appId,
  runId: memories.runId,
  memory: memories.memory,
  metadata: memories.metadata,
  createdAt: memories.createdAt,
  updatedAt: memories.updatedAt,
};

/** A row as selected with {@link recordColumns}. */
export interface RecordRow {
  id: string;
  userId: string | null;
  agentId: string | null;
  appId: string | null;
  runId: string | null;
  memory: string;
  metadata: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

/** The scope fields of a row, dropping NULLs (a record omits unset scope ids). */
export function rowScope(row: Pick<RecordRow, 'userId' | 'agentId' | 'appId' | 'runId'>): MemoryScope {
  const scope: MemoryScope = {};
  if (row.userId !== null) scope.userId = row.userId;
  if (row.agentId !== null) scope.agentId = row.agentId;
  if (row.appId !== null) scope.appId = row.appId;
  if (row.runId !== null) scope.runId = row.runId;
  return scope;
}

/** A `memories` row as core's {@link MemoryRecord}. */
export function rowToRecord(row: RecordRow): MemoryRecord {
  return {
    id: row.id,
    ...rowScope(row),
    memory: row.memory,
    metadata: row.metadata as MemoryRecord['metadata'],
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

/** A `memory_history` row as core's {@link MemoryHistoryEvent}. */
export function rowToHistoryEvent(row: typeof memoryHistory.$inferSelect): MemoryHistoryEvent {
  return {
    id: row.id,
    memoryId: row.memoryId,
    ...rowScope(row),
    event: row.event,
    oldMemory: row.oldMemory,
    newMemory: row.newMemory,
    createdAt: new Date(row.createdAt).toISOString(),
  };
}
