import { bigserial, boolean, doublePrecision, index, integer, text, timestamp } from 'drizzle-orm/pg-core';
import { memgateSchema } from './memgate-schema.js';

/** Raw health observations (active probes and passive outcomes), kept for the retention period. Filled by @memgate/health. */
export const healthSamples = memgateSchema.table(
  'health_samples',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    provider: text().notNull(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
    kind: text({ enum: ['probe', 'observation'] }).notNull(),
    ok: boolean().notNull(),
    latencyMs: doublePrecision().notNull(),
    /** Core error name when it failed (`Memory_ProviderTimeoutError`). */
    errorClass: text(),
    statusCode: integer(),
  },
  (table) => [index('health_samples_provider_at_idx').on(table.provider, table.at)],
);

/** A row of {@link healthSamples}. */
export type HealthSampleRow = typeof healthSamples.$inferSelect;
