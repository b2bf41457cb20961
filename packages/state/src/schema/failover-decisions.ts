import type { RoutingDecision } from '@memgate/failover';
import { sql } from 'drizzle-orm';
import { bigserial, doublePrecision, index, integer, jsonb, text, timestamp } from 'drizzle-orm/pg-core';
import { memgateSchema } from './memgate-schema.js';

/** One attempt of a routed operation, as kept in the decision history. */
export interface FailoverAttemptRow {
  readonly provider: string;
  readonly outcome: string;
  readonly errorClass?: string;
  readonly durationMs: number;
}

/**
 * The decision history: what the router tried for an operation, why, and how long it took. Filled by
 * @memgate/failover through `DrizzleDecisionHistoryStore`. `decision` is the whole `RoutingDecision`
 * (what `list` returns); the other columns are there to filter and to query by hand.
 */
export const failoverDecisions = memgateSchema.table(
  'failover_decisions',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    /** When the request reached the router (the decision's `startedAt`). */
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
    requestId: text(),
    pool: text().notNull(),
    operation: text().notNull(),
    strategy: text().notNull(),
    /** The candidates in the order the strategy chose. */
    candidateOrder: jsonb().$type<string[]>().notNull(),
    attempts: jsonb().$type<FailoverAttemptRow[]>().notNull(),
    /** The provider that served it, if any. */
    provider: text(),
    fallbacks: integer().notNull().default(0),
    outcome: text().notNull(),
    durationMs: doublePrecision().notNull(),
    /** Every provider an attempt went to, once each: the `provider` filter of the history (GIN-indexed). */
    tried: text().array().notNull().default(sql`'{}'::text[]`),
    /** The whole decision, as the router made it. */
    decision: jsonb().$type<RoutingDecision>().notNull(),
  },
  (table) => [
    index('failover_decisions_pool_at_idx').on(table.pool, table.at),
    // Newest first, `since`, and retention all walk `at`.
    index('failover_decisions_at_idx').on(table.at),
    index('failover_decisions_tried_idx').using('gin', table.tried),
  ],
);

/** A row of {@link failoverDecisions}. */
export type FailoverDecisionRow = typeof failoverDecisions.$inferSelect;
