import { doublePrecision, integer, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { memgateSchema } from './memgate-schema.js';

/** Hourly roll-ups of health samples per provider, for trends and capacity planning. Filled by @memgate/health. */
export const healthTrends = memgateSchema.table(
  'health_trends',
  {
    provider: text().notNull(),
    /** Start of the hour (UTC). */
    hour: timestamp({ withTimezone: true }).notNull(),
    requests: integer().notNull().default(0),
    failures: integer().notNull().default(0),
    timeouts: integer().notNull().default(0),
    latencyAvgMs: doublePrecision(),
    latencyP50Ms: doublePrecision(),
    latencyP95Ms: doublePrecision(),
    latencyP99Ms: doublePrecision(),
    /** Successful share of requests in [0, 1]. */
    availability: doublePrecision(),
  },
  (table) => [primaryKey({ columns: [table.provider, table.hour] })],
);

/** A row of {@link healthTrends}. */
export type HealthTrendRow = typeof healthTrends.$inferSelect;
