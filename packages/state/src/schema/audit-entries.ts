import type { JsonValue } from '@memgate/core';
import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, text, timestamp } from 'drizzle-orm/pg-core';
import { memgateSchema } from './memgate-schema.js';

/**
 * The audit chain of @memgate/security, one row per `AuditEntry`, written by `DrizzleAuditStore`.
 * `seq` is assigned by the writer and gapless; `hash = SHA-256(prev_hash || canonicalJson(entry))`.
 * Append-only in the database: a trigger (migration 0005) refuses UPDATE, DELETE and TRUNCATE.
 */
export const auditEntries = memgateSchema.table(
  'audit_entries',
  {
    seq: bigint({ mode: 'number' }).primaryKey(),
    /** The entry's `ts` exactly as hashed (ISO 8601 text): never re-rendered from a timestamp. */
    ts: text().notNull(),
    /** `ts` as an instant, for the `since`/`until` filters and their index. Not part of the entry. */
    tsInstant: timestamp({ withTimezone: true }).notNull(),
    prevHash: text().notNull(),
    hash: text().notNull().unique(),
    action: text().notNull(),
    actor: text().notNull(),
    authMethod: text(),
    actorIp: text(),
    resourceType: text(),
    resourceId: text(),
    tenant: text(),
    outcome: text({ enum: ['success', 'failure', 'denied'] }).notNull(),
    status: integer(),
    requestId: text(),
    details: jsonb().$type<Record<string, JsonValue>>(),
  },
  (table) => [
    check('audit_entries_outcome_check', sql`${table.outcome} in ('success', 'failure', 'denied')`),
    // Each filter of `query`, then `seq` (the order it returns).
    index('audit_entries_actor_seq_idx').on(table.actor, table.seq),
    index('audit_entries_action_seq_idx').on(table.action, table.seq),
    index('audit_entries_resource_seq_idx').on(table.resourceType, table.resourceId, table.seq),
    index('audit_entries_ts_instant_idx').on(table.tsInstant),
  ],
);

/** A row of {@link auditEntries}. */
export type AuditEntryRow = typeof auditEntries.$inferSelect;
