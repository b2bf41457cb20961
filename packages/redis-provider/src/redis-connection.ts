import { Redis } from 'ioredis';
import type { ResolvedRedisProviderSettings } from './redis-provider-settings.js';
import { redisScripts, type RedisScripts } from './redis-scripts.js';

/** A client and its scripts, made on first use. */
export interface RedisConnection {
  /** The client, created (not yet connected: the first command connects) on the first call. */
  client(): { redis: Redis; scripts: RedisScripts };
  /** Closes a client this connection created; leaves an injected one open. Idempotent. */
  close(): Promise<void>;
}

/**
 * Creates the ioredis client lazily, so that constructing a provider opens nothing.
 *
 * Failure behaviour, chosen for a gateway that fails over: a command sent while the server is
 * unreachable fails after one reconnection attempt (`maxRetriesPerRequest: 1`) instead of queueing
 * for long, and the client keeps reconnecting in the background with a capped backoff, so the
 * provider recovers by itself when the server is back (the health monitor's probe sees it).
 */
export function redisConnection(settings: ResolvedRedisProviderSettings, injected: Redis | undefined): RedisConnection {
  let current: { redis: Redis; scripts: RedisScripts } | undefined;
  return {
    client() {
      if (current) return current;
      const redis =
        injected ??
        new Redis(settings.connectionString, {
          lazyConnect: true,
          connectTimeout: settings.connectTimeoutMs,
          commandTimeout: settings.commandTimeoutMs,
          maxRetriesPerRequest: 1,
          retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, 2_000),
          connectionName: `memgate:${settings.name}`,
        });
      // Without a listener ioredis prints every failed reconnection; the failures reach callers as
      // rejected commands, mapped by mapRedisError.
      if (!injected) redis.on('error', () => {});
      current = { redis, scripts: redisScripts(redis) };
      return current;
    },
    async close() {
      const redis = current?.redis;
      current = undefined;
      if (!redis || redis === injected) return;
      if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
      else redis.disconnect();
    },
  };
}
