import type { Redis } from 'ioredis';
import { z } from 'zod';

/**
 * The settings of a Redis provider, as written in a memgate config file (`settings`, plus the
 * entry's `connection_string` as `connectionString`). Strict: an unknown field is a
 * `ValidationError` naming it.
 */
export const redisProviderSettingsSchema = z.strictObject({
  /** This instance's name, unique within a gateway. Default `redis`. */
  name: z.string().min(1, 'must not be empty').default('redis'),
  /**
   * The server, as `redis[s]://[user:password@]host[:port][/db]`. Default `redis://127.0.0.1:6379`.
   * It may hold a password: it is never echoed in errors.
   */
  connectionString: z
    .string()
    .regex(/^rediss?:\/\/\S*$/, 'expected a redis:// or rediss:// URL')
    .default('redis://127.0.0.1:6379'),
  /**
   * Prefix of every key this provider writes, so several gateways (or tests) can share a database.
   * Default `memgate:`.
   */
  keyPrefix: z.string().min(1, 'must not be empty').max(256, 'must be at most 256 characters').default('memgate:'),
  /** How long to wait for the TCP (and TLS) connection, in milliseconds. Default 5000. */
  connectTimeoutMs: z.int().positive().default(5_000),
  /** Per-command timeout in milliseconds, on top of each call's deadline. Default: none. */
  commandTimeoutMs: z.int().positive().optional(),
  /** How many memories one pipelined round trip reads while scanning a scope. Default 500. */
  readBatchSize: z.int().min(1).max(10_000).default(500),
});

/** Settings of `createRedisMemoryProvider`, with defaults applied. */
export type ResolvedRedisProviderSettings = z.output<typeof redisProviderSettingsSchema>;

/** Settings of `createRedisMemoryProvider`, before defaults are applied. */
export type RedisProviderSettings = z.input<typeof redisProviderSettingsSchema> & {
  /**
   * An ioredis client to use instead of creating one from `connectionString`. The provider never
   * closes a client it was given: its owner does.
   */
  readonly client?: Redis;
};
