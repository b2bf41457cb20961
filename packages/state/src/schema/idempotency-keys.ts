import type { JsonValue } from '@memgate/core';
import { index, integer, jsonb, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { memgateSchema } from './memgate-schema.js';

/** Idempotency keys of writes: a retried request with the same key gets the first response. */
export const idempotencyKeys = memgateSchema.table(
  'idempotency_keys',
  {
    key: text().notNull(),
    /** Whose key it is (API key id): two callers may pick the same key. */
    principal: text().notNull(),
    /** SHA-256 of the request, to refuse the same key with a different body. */
    requestHash: text().notNull(),
    statusCode: integer(),
    response: jsonb().$type<JsonValue>(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.principal, table.key] }), index('idempotency_keys_expires_at_idx').on(table.expiresAt)],
);

/** A row of {@link idempotencyKeys}. */
export type IdempotencyKeyRow = typeof idempotencyKeys.$inferSelect;
