import { sql } from 'drizzle-orm';
import { check, doublePrecision, integer, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { memgateSchema } from './memgate-schema.js';

/**
 * Hourly roll-ups of health samples per provider, for trends and capacity planning. Filled by
 * @memgate/health through `DrizzleHealthTrendStore`: one row per (provider, hour, writer), i.e. each
 * process's view of the hour; `DrizzleHealthTrendStore.query` merges an hour's rows into one point.
 */
export const healthTrends = memgateSchema.table(
  'health_trends',
  {
    provider: text().notNull(),
    /** Start of the hour (UTC). */
    hour: timestamp({ withTimezone: true }).notNull(),
    /**
     * The process that wrote the row (a random id per store instance), so replicas and restarts within
     * the hour keep their own counts instead of overwriting each other's. '' on rows written before 0003.
     */
    writer: text().notNull().default(''),
    /** Counted calls (successes + failures): the point's `volume`. */
    requests: integer().notNull().default(0),
    successes: integer().notNull().default(0),
    failures: integer().notNull().default(0),
    /** Not carried by `HealthTrendPoint`; stays 0 until the monitor counts timeouts apart. */
    timeouts: integer().notNull().default(0),
    /** Not carried by `HealthTrendPoint`; stays null. */
    latencyAvgMs: doublePrecision(),
    /** The percentiles of the hour's successful calls: all three null when there was none. */
    latencyP50Ms: doublePrecision(),
    latencyP95Ms: doublePrecision(),
    latencyP99Ms: doublePrecision(),
    /** Successful share of requests in [0, 1] (`successes / requests`), null without requests. */
    availability: doublePrecision(),
    /** Fraction of the observed hour the provider was up. */
    uptime: doublePrecision().notNull().default(0),
    /** Health score over the hour's aggregates. */
    score: doublePrecision().notNull().default(0),
  },
  (table) => [
    primaryKey({ columns: [table.provider, table.hour, table.writer] }),
    check(
      'health_trends_latency_check',
      sql`(${table.latencyP50Ms} is null) = (${table.latencyP95Ms} is null) and (${table.latencyP50Ms} is null) = (${table.latencyP99Ms} is null)`,
    ),
  ],
);

/** A row of {@link healthTrends}. */
export type HealthTrendRow = typeof healthTrends.$inferSelect;
