import type { MemoryHistoryEvent, MemoryRecord } from '@memgate/core';

/**
 * A memory as mem0's Platform returns it: snake_case, every scope id present (null when unset),
 * and the run id under both `run_id` and `session_id` since mem0 uses either name by route.
 */
export function toMem0Memory(record: MemoryRecord, score?: number) {
  return {
    id: record.id,
    memory: record.memory,
    user_id: record.userId ?? null,
    agent_id: record.agentId ?? null,
    app_id: record.appId ?? null,
    run_id: record.runId ?? null,
    session_id: record.runId ?? null,
    metadata: record.metadata,
    categories: [] as string[],
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    expiration_date: null,
    ...(score === undefined ? {} : { score }),
  };
}

/** A mem0 memory object. */
export type Mem0Memory = ReturnType<typeof toMem0Memory>;

/** A history entry as mem0's `GET /v1/memories/{id}/history/` returns it. */
export function toMem0HistoryEntry(event: MemoryHistoryEvent) {
  return {
    id: event.id,
    memory_id: event.memoryId,
    input: [] as { role: string; content: string }[],
    old_memory: event.oldMemory,
    new_memory: event.newMemory,
    event: event.event,
    user_id: event.userId ?? null,
    agent_id: event.agentId ?? null,
    app_id: event.appId ?? null,
    run_id: event.runId ?? null,
    session_id: event.runId ?? null,
    categories: [] as string[],
    metadata: null,
    created_at: event.createdAt,
    updated_at: event.createdAt,
  };
}
