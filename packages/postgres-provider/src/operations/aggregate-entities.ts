import type { MemoryFilter, MemoryProviderV1Entity } from '@memgate/core';
import { count, isNotNull, max, min, and } from 'drizzle-orm';
import { memories } from '../schema/memories.js';
import { memoryFilterToSql } from '../sql/memory-filter-to-sql.js';
import type { OperationContext } from './operation-context.js';

/** mem0's entity types and the column each groups by. */
const entityColumns = { user: memories.userId, agent: memories.agentId, app: memories.appId, run: memories.runId } as const;

/**
 * Every entity owning a memory that matches `filter`: one GROUP BY per scope column (each leads an index),
 * so the cost grows with the number of entities, not of memories. Sorted by type, then id.
 */
export async function aggregateEntities(context: OperationContext, filter: MemoryFilter): Promise<MemoryProviderV1Entity[]> {
  const where = memoryFilterToSql(filter);
  return context.withDatabase(async (db) => {
    const entities: MemoryProviderV1Entity[] = [];
    for (const [type, column] of Object.entries(entityColumns) as [MemoryProviderV1Entity['type'], (typeof entityColumns)[keyof typeof entityColumns]][]) {
      const rows = await db
        .select({ id: column, memoryCount: count(), createdAt: min(memories.createdAt), updatedAt: max(memories.updatedAt) })
        .from(memories)
        .where(and(isNotNull(column), where))
        .groupBy(column)
        .orderBy(column);
      for (const row of rows) entities.push({ type, id: row.id!, memoryCount: Number(row.memoryCount), createdAt: new Date(row.createdAt!).toISOString(), updatedAt: new Date(row.updatedAt!).toISOString() });
    }
    return entities;
  });
}
