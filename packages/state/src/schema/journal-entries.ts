import type { JsonValue } from '@memgate/core';
import { sql } from 'drizzle-orm';
import { bigserial, check, index, integer, jsonb, text, timestamp, unique } from 'drizzle-orm/pg-core';
import { memgateSchema } from './memgate-schema.js';

/**
 * The write journal: every add/update/delete of a pool, durable before it is acknowledged.
 * `id` orders entries; `(pool, memory_id, version)` keeps one entry per memory version. Filled by @memgate/failover.
 */
export const journalEntries = memgateSchema.table(
  'journal_entries',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    pool: text().notNull(),
    op: text({ enum: ['add', 'update', 'delete'] }).notNull(),
    memoryId: text().notNull(),
    /** Per-memory version, 1 for the add; deliveries of one memory go in this order. */
    version: integer().notNull(),
    /** What to replay: the record for an add, the patch for an update, nothing for a delete (tombstone). */
    payload: jsonb().$type<JsonValue>(),
    /** Size of the payload as JSON (bytes), for the backlog bound. */
    bytes: integer().notNull().default(0),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    check('journal_entries_op_check', sql`${table.op} in ('add', 'update', 'delete')`),
    unique('journal_entries_memory_version_key').on(table.pool, table.memoryId, table.version),
    index('journal_entries_pool_id_idx').on(table.pool, table.id),
  ],
);

/** A row of {@link journalEntries}. */
export type JournalEntryRow = typeof journalEntries.$inferSelect;
