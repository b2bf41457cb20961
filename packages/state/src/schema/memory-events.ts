import type { JsonValue } from '@memgate/core';
import { sql } from 'drizzle-orm';
import { check, index, jsonb, text, timestamp } from 'drizzle-orm/pg-core';
import { memgateSchema } from './memgate-schema.js';

/**
 * The gateway's write events (what `GET /v1/event/{id}/` answers), written by `DrizzleMemoryEventStore`
 * and kept for its retention, measured from `completed_at`.
 */
export const memoryEvents = memgateSchema.table(
  'memory_events',
  {
    id: text().primaryKey(),
    /** The key id whose write it was: only that key may read the event. */
    owner: text().notNull(),
    type: text({ enum: ['ADD', 'DELETE', 'UPDATE'] }).notNull(),
    status: text({ enum: ['SUCCEEDED', 'FAILED'] }).notNull(),
    payload: jsonb().$type<JsonValue>().notNull(),
    results: jsonb().$type<JsonValue[]>().notNull(),
    /** ISO 8601, exactly as given. */
    startedAt: text().notNull(),
    /** ISO 8601, exactly as given. */
    completedAt: text().notNull(),
    /** `completed_at` as an instant: what retention is measured from (indexed). Not part of the event. */
    completedInstant: timestamp({ withTimezone: true }).notNull(),
    error: text(),
  },
  (table) => [
    check('memory_events_type_check', sql`${table.type} in ('ADD', 'DELETE', 'UPDATE')`),
    check('memory_events_status_check', sql`${table.status} in ('SUCCEEDED', 'FAILED')`),
    index('memory_events_completed_instant_idx').on(table.completedInstant),
  ],
);

/** A row of {@link memoryEvents}. */
export type MemoryEventRow = typeof memoryEvents.$inferSelect;
