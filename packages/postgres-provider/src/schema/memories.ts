import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import type { MemoryMetadata } from '@memgate/core';
import { scopeColumns, tsvector } from './columns.js';

/**
 * One row per memory. `id` is text, not uuid: canonical ids are UUIDv7 strings, but callers may
 * choose their own. Timestamps keep milliseconds only, so they round-trip through ISO 8601 exactly.
 */
export const memories = pgTable(
  'memories',
  {
    id: text().primaryKey(),
    ...scopeColumns(),
    memory: text().notNull(),
    metadata: jsonb().$type<MemoryMetadata>().notNull().default({}),
    /** md5 of the text, as mem0 keeps it. */
    hash: text().notNull(),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull(),
    updatedAt: timestamp({ withTimezone: true, precision: 3 }).notNull(),
    /** Maintained by PostgreSQL; the GIN index below serves full-text search. */
    searchVector: tsvector().generatedAlwaysAs(sql`to_tsvector('english'::regconfig, memory)`),
  },
  (table) => [
    // Every listing and search is scoped, so each scope column leads an index in listing order.
    index('memories_user_id_created_at_idx').on(table.userId, table.createdAt, table.id),
    index('memories_agent_id_created_at_idx').on(table.agentId, table.createdAt, table.id),
    index('memories_app_id_created_at_idx').on(table.appId, table.createdAt, table.id),
    index('memories_run_id_created_at_idx').on(table.runId, table.createdAt, table.id),
    // fastupdate off: a pending list of unmerged entries is scanned linearly by every search (15 ms at
    // 100,000 rows after a bulk load); memories are read far more often than written.
    index('memories_search_vector_idx').using('gin', table.searchVector).with({ fastupdate: 'off' }),
  ],
);

/** A row of `memories` as read. */
export type MemoryRow = typeof memories.$inferSelect;
/** A row of `memories` as written. */
export type NewMemoryRow = typeof memories.$inferInsert;
