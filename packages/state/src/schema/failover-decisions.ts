import { bigserial, doublePrecision, index, integer, jsonb, text, timestamp } from 'drizzle-orm/pg-core';
import { memgateSchema } from './memgate-schema.js';

/** One attempt of a routed operation, as kept in the decision history. */
export interface FailoverAttemptRow {
  readonly provider: string;
  readonly outcome: string;
  readonly errorClass?: string;
  readonly durationMs: number;
}

/** The decision history: what the router tried for an operation, why, and how long it took. Filled by @memgate/failover. */
export const failoverDecisions = memgateSchema.table(
  'failover_decisions',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
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
  },
  (table) => [index('failover_decisions_pool_at_idx').on(table.pool, table.at)],
);

/** A row of {@link failoverDecisions}. */
export type FailoverDecisionRow = typeof failoverDecisions.$inferSelect;
