import { bigint, primaryKey, text } from 'drizzle-orm/pg-core';
import { memgateSchema } from './memgate-schema.js';

/**
 * Signed checkpoints of the audit chain (`AuditCheckpoint` of @memgate/security): the head `seq` and
 * `hash` at `ts`, signed with the key `key_id`. One per (seq, key). Append-only like the chain.
 */
export const auditCheckpoints = memgateSchema.table(
  'audit_checkpoints',
  {
    seq: bigint({ mode: 'number' }).notNull(),
    hash: text().notNull(),
    /** ISO 8601, exactly as signed. */
    ts: text().notNull(),
    keyId: text().notNull(),
    signature: text().notNull(),
  },
  (table) => [primaryKey({ columns: [table.seq, table.keyId] })],
);

/** A row of {@link auditCheckpoints}. */
export type AuditCheckpointRow = typeof auditCheckpoints.$inferSelect;
