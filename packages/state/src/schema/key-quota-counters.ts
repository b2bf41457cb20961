import { date, integer, primaryKey, text } from 'drizzle-orm/pg-core';
import { memgateSchema } from './memgate-schema.js';

/**
 * Memories each API key wrote per UTC day (`DrizzleQuotaCounterStore`), for the `memoriesPerDay`
 * quota, shared by every replica: one row per key and day, changed by one atomic upsert per write.
 */
export const keyQuotaCounters = memgateSchema.table(
  'key_quota_counters',
  {
    /** The API key's id (a rotated key's successor has its own count). */
    keyId: text().notNull(),
    /** The UTC day. */
    day: date({ mode: 'string' }).notNull(),
    /** Memories written (reserved and not given back) that day. */
    memoriesWritten: integer().notNull(),
  },
  // The primary key leads with the day: pruning deletes the oldest days by range.
  (table) => [primaryKey({ columns: [table.day, table.keyId] })],
);

/** A row of {@link keyQuotaCounters}. */
export type KeyQuotaCounterRow = typeof keyQuotaCounters.$inferSelect;
