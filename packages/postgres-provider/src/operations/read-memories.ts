import { parseWithSchema, type MemoryFilter, type MemoryHistoryEvent, type MemoryProviderV1ListResult, type MemoryRecord } from '@memgate/core';
import { asc, count, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { memories } from '../schema/memories.js';
import { memoryHistory } from '../schema/memory-history.js';
import { recordColumns, rowToHistoryEvent, rowToRecord } from '../sql/memory-columns.js';
import { memoryFilterToSql } from '../sql/memory-filter-to-sql.js';
import type { OperationContext } from './operation-context.js';

const pageSchema = z.object({ page: z.number().int().min(1), pageSize: z.number().int().min(1).max(1000) });

/** One memory by id, or null. */
export async function getMemory(context: OperationContext, id: string): Promise<MemoryRecord | null> {
  const [row] = await context.withDatabase((db) => db.select(recordColumns).from(memories).where(eq(memories.id, id)));
  return row ? rowToRecord(row) : null;
}

/**
 * One page of the memories matching a filter, newest first (created_at, then id, descending),
 * with the total count.
 * @throws ValidationError naming `page.page` or `page.pageSize` when out of range
 */
export async function listMemories(context: OperationContext, filter: MemoryFilter, input: unknown): Promise<MemoryProviderV1ListResult> {
  const page = parseWithSchema(pageSchema, input, 'page');
  const where = memoryFilterToSql(filter);
  return context.withDatabase(async (db) => {
    const rows = await db.select(recordColumns).from(memories).where(where).orderBy(desc(memories.createdAt), desc(memories.id)).limit(page.pageSize).offset((page.page - 1) * page.pageSize);
    const [total] = await db.select({ total: count() }).from(memories).where(where);
    return { items: rows.map(rowToRecord), total: Number(total?.total ?? 0) };
  });
}

/** A memory's history, oldest first; kept after the memory is deleted. */
export async function memoryHistoryEvents(context: OperationContext, id: string): Promise<MemoryHistoryEvent[]> {
  const rows = await context.withDatabase((db) => db.select().from(memoryHistory).where(eq(memoryHistory.memoryId, id)).orderBy(asc(memoryHistory.createdAt), asc(memoryHistory.id)));
  return rows.map(rowToHistoryEvent);
}
