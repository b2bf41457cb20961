import { bigserial, index, jsonb, text, timestamp } from 'drizzle-orm/pg-core';
import { memgateSchema } from './memgate-schema.js';

/**
 * The append-only, hash-chained audit log: `hash = SHA-256(previous_hash || entry)`.
 * Rows are only ever inserted; `seq` orders the chain. Filled by @memgate/security.
 */
export const auditEntries = memgateSchema.table(
  'audit_entries',
  {
    seq: bigserial({ mode: 'number' }).primaryKey(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
    actor: text().notNull(),
    action: text().notNull(),
    target: text(),
    outcome: text().notNull(),
    requestId: text(),
    sourceIp: text(),
    detail: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    previousHash: text().notNull(),
    hash: text().notNull().unique(),
  },
  (table) => [index('audit_entries_at_idx').on(table.at), index('audit_entries_actor_idx').on(table.actor, table.at)],
);

/** A row of {@link auditEntries}. */
export type AuditEntryRow = typeof auditEntries.$inferSelect;
