import { compareEntities, type MemoryFilter, type MemoryProviderV1Entity } from '@memgate/core';
import { count, max, min, sql } from 'drizzle-orm';
import { memories } from '../schema/memories.js';
import { memoryFilterToSql } from '../sql/memory-filter-to-sql.js';
import type { OperationContext } from './operation-context.js';

/**
 * The entity type of each grouping set, keyed by `grouping(user_id, agent_id, app_id, run_id)`: a bit is
 * set for each column left out of the set, the first column being the highest bit.
 */
const typeOfGroupingSet: Readonly<Record<number, MemoryProviderV1Entity['type']>> = { 0b0111: 'user', 0b1011: 'agent', 0b1101: 'app', 0b1110: 'run' };

/**
 * Every entity owning a memory that matches `filter`, counted by the database in one statement: a
 * GROUP BY with a grouping set per scope column, so the table is read once, in the database, and only
 * one row per entity comes back (the scan it replaces shipped every memory to the caller). Sorted by type, then id.
 */
export async function aggregateEntities(context: OperationContext, filter: MemoryFilter): Promise<MemoryProviderV1Entity[]> {
  const where = memoryFilterToSql(filter);
  return context.withDatabase(async (db) => {
    const rows = await db
      .select({
        groupingSet: sql<number>`grouping(${memories.userId}, ${memories.agentId}, ${memories.appId}, ${memories.runId})`,
        userId: memories.userId,
        agentId: memories.agentId,
        appId: memories.appId,
        runId: memories.runId,
        memoryCount: count(),
        createdAt: min(memories.createdAt),
        updatedAt: max(memories.updatedAt),
      })
      .from(memories)
      .where(where)
      .groupBy(sql`grouping sets ((${memories.userId}), (${memories.agentId}), (${memories.appId}), (${memories.runId}))`);
    const entities: MemoryProviderV1Entity[] = [];
    for (const row of rows) {
      const type = typeOfGroupingSet[Number(row.groupingSet)];
      const id = type && row[`${type}Id`];
      // Each set also has a group of the memories without that scope id (a null id): not an entity.
      if (!type || id === null || id === undefined) continue;
      entities.push({ type, id, memoryCount: Number(row.memoryCount), createdAt: new Date(row.createdAt!).toISOString(), updatedAt: new Date(row.updatedAt!).toISOString() });
    }
    // Sorted here, not by ORDER BY: the database's collation need not be the contract's code-unit order.
    return entities.sort(compareEntities);
  });
}
