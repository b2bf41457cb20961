import { index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { scopeColumns } from './columns.js';

/**
 * Every ADD, UPDATE and DELETE of a memory. No foreign key to `memories`: the history outlives
 * the memory it describes.
 */
export const memoryHistory = pgTable(
  'memory_history',
  {
    id: text().primaryKey(),
    memoryId: text().notNull(),
    ...scopeColumns(),
    event: text({ enum: ['ADD', 'UPDATE', 'DELETE'] }).notNull(),
    oldMemory: text(),
    newMemory: text(),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull(),
  },
  (table) => [index('memory_history_memory_id_created_at_idx').on(table.memoryId, table.createdAt, table.id)],
);

/** A row of `memory_history` as read. */
export type MemoryHistoryRow = typeof memoryHistory.$inferSelect;
