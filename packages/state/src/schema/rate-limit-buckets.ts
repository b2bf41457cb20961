import { bigint, doublePrecision, index, text } from 'drizzle-orm/pg-core';
import { memgateSchema } from './memgate-schema.js';

/**
 * Token buckets shared by every replica (`DrizzleRateLimitStore`): one row per bucket key
 * (`key:<api key id>`, `auth-fail:<client address>`…). Times are epoch milliseconds, the clock of the
 * replica that last took from the bucket.
 */
export const rateLimitBuckets = memgateSchema.table(
  'rate_limit_buckets',
  {
    key: text().primaryKey(),
    /** Tokens left at `updatedAt` (fractional: refill is continuous). */
    tokens: doublePrecision().notNull(),
    updatedAt: bigint({ mode: 'number' }).notNull(),
    /** When the bucket is full again and the row can be dropped without changing any answer. */
    fullAt: bigint({ mode: 'number' }).notNull(),
  },
  (table) => [index('rate_limit_buckets_full_at_idx').on(table.fullAt)],
);

/** A row of {@link rateLimitBuckets}. */
export type RateLimitBucketRow = typeof rateLimitBuckets.$inferSelect;
