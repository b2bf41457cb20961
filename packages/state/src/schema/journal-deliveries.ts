import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { journalEntries } from './journal-entries.js';
import { memgateSchema } from './memgate-schema.js';

/**
 * Per-member delivery state of each journal entry. A member with `pending` rows is "behind"
 * (reads avoid it); the replicator retries with backoff until `delivered`. Filled by @memgate/failover.
 */
export const journalDeliveries = memgateSchema.table(
  'journal_deliveries',
  {
    entryId: bigint({ mode: 'number' })
      .notNull()
      .references(() => journalEntries.id, { onDelete: 'cascade' }),
    member: text().notNull(),
    state: text({ enum: ['pending', 'delivered', 'failed'] }).notNull().default('pending'),
    attempts: integer().notNull().default(0),
    lastError: text(),
    nextAttemptAt: timestamp({ withTimezone: true }),
    deliveredAt: timestamp({ withTimezone: true }),
    /** The replicator holding this delivery (claimed with `FOR UPDATE SKIP LOCKED`), until `leaseUntil`. */
    leaseOwner: text(),
    leaseUntil: timestamp({ withTimezone: true }),
  },
  (table) => [
    primaryKey({ columns: [table.entryId, table.member] }),
    check('journal_deliveries_state_check', sql`${table.state} in ('pending', 'delivered', 'failed')`),
    index('journal_deliveries_member_state_idx').on(table.member, table.state, table.entryId),
  ],
);

/** A row of {@link journalDeliveries}. */
export type JournalDeliveryRow = typeof journalDeliveries.$inferSelect;
