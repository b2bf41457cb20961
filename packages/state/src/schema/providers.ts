import type { ProviderConfig } from '@memgate/registry';
import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, text } from 'drizzle-orm/pg-core';
import { timestamps } from './columns.js';
import { memgateSchema } from './memgate-schema.js';

/** The registry's providers: one row per provider, its config as written (secrets as `${ENV}` references). */
export const providers = memgateSchema.table(
  'providers',
  {
    name: text().primaryKey(),
    providerType: text().notNull(),
    /** The config entry (`ProviderConfig`), never with resolved secrets. */
    config: jsonb().$type<ProviderConfig>().notNull(),
    state: text({ enum: ['active', 'inactive'] }).notNull(),
    source: text({ enum: ['config', 'api', 'discovered'] }).notNull(),
    reason: text(),
    /** Optimistic-concurrency version: 1 on insert, +1 per change. */
    version: integer().notNull(),
    ...timestamps,
  },
  (table) => [
    check('providers_state_check', sql`${table.state} in ('active', 'inactive')`),
    check('providers_source_check', sql`${table.source} in ('config', 'api', 'discovered')`),
    index('providers_provider_type_idx').on(table.providerType),
  ],
);

/** A row of {@link providers}. */
export type ProviderRow = typeof providers.$inferSelect;
/** An insert into {@link providers}. */
export type NewProviderRow = typeof providers.$inferInsert;
