import { index, jsonb, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { memgateSchema } from './memgate-schema.js';

/**
 * API keys (`mg_<env>_<random><crc32>`), stored only as a SHA-256 digest with a short display
 * prefix; shown once at creation. Filled by @memgate/security.
 */
export const apiKeys = memgateSchema.table(
  'api_keys',
  {
    id: uuid().primaryKey().defaultRandom(),
    name: text().notNull(),
    /** First characters of the key, for display and lookup (`mg_live_3fA9`). */
    prefix: text().notNull(),
    /** Hex SHA-256 of the whole key. */
    digest: text().notNull().unique(),
    environment: text().notNull(),
    roles: jsonb().$type<string[]>().notNull().default([]),
    permissions: jsonb().$type<string[]>().notNull().default([]),
    /** Tenant scopes the key is bound to (`{ userId, agentId, appId }`); empty: unbound. */
    scopes: jsonb().$type<Record<string, string>>().notNull().default({}),
    /** CIDR allow-list; empty: any address. */
    ipAllowList: jsonb().$type<string[]>().notNull().default([]),
    /** The key this one replaced by rotation. */
    rotatedFrom: uuid(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
    lastUsedAt: timestamp({ withTimezone: true }),
  },
  (table) => [index('api_keys_prefix_idx').on(table.prefix)],
);

/** A row of {@link apiKeys}. */
export type ApiKeyRow = typeof apiKeys.$inferSelect;
