import type { KeyQuota, KeyRateLimit, TenantScope } from '@memgate/security';
import { sql } from 'drizzle-orm';
import { check, index, jsonb, text, timestamp } from 'drizzle-orm/pg-core';
import { memgateSchema } from './memgate-schema.js';

/**
 * API keys, one row per `ApiKeyRecord` of @memgate/security, written by `DrizzleKeyStore`. The key
 * itself is never stored: only its hex SHA-256 (`hash`, unique, the lookup) and a display `prefix`.
 * The record's epoch-millisecond times are timestamptz here (microsecond precision, so milliseconds
 * come back exactly).
 */
export const apiKeys = memgateSchema.table(
  'api_keys',
  {
    /** The record's id, the principal id of requests made with the key. */
    id: text().primaryKey(),
    /** Hex SHA-256 of the whole key (64 lowercase hex digits, a check enforces it). */
    hash: text().notNull().unique(),
    /** Non-secret display prefix (`mg_live_4fQzA1`). */
    prefix: text().notNull(),
    environment: text().notNull(),
    name: text().notNull(),
    roles: jsonb().$type<string[]>().notNull(),
    permissions: jsonb().$type<string[]>().notNull(),
    /** Tenant binding; null for an unbound key. */
    scope: jsonb().$type<TenantScope>(),
    /** Per-key CIDR allow-list; null for no per-key limit. */
    allowedIps: jsonb().$type<string[]>(),
    /** The key's own rate limit (`{ rpm, burst }`); null for the gateway's default. */
    rateLimit: jsonb().$type<KeyRateLimit>(),
    /** The key's quotas (`{ memoriesPerDay?, storedMemories? }`); null for none. */
    quota: jsonb().$type<KeyQuota>(),
    createdAt: timestamp({ withTimezone: true }).notNull(),
    expiresAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
    /** The id of the key that replaced this one by rotation. */
    replacedBy: text(),
  },
  (table) => [
    // A digest and nothing else: a plaintext key written here by mistake is refused.
    check('api_keys_hash_check', sql`${table.hash} ~ '^[0-9a-f]{64}$'`),
    // `list` is newest first.
    index('api_keys_created_at_idx').on(table.createdAt),
  ],
);

/** A row of {@link apiKeys}. */
export type ApiKeyRow = typeof apiKeys.$inferSelect;
