import { createIpAllowList } from '@memgate/security';
import { z } from 'zod';
import { CliUsageError } from './cli-command.js';

/** CIDR ranges or bare addresses, IPv4 and IPv6; a bad entry is refused naming its index. */
const cidrList = z.array(z.string()).superRefine((entries, context) => {
  entries.forEach((entry, index) => {
    try {
      createIpAllowList([entry]);
    } catch {
      context.addIssue({ code: 'custom', path: [index], message: `expected a CIDR range or an address, got "${entry}"` });
    }
  });
});

/** A token bucket in the config's spelling: requests per minute, and the burst a client may spend at once. */
export const rateLimitConfigSchema = z.strictObject({
  rpm: z.int('rpm must be a whole number of requests per minute').min(1, 'rpm must be at least 1').max(6_000_000),
  /** Requests a client may make at once before the per-minute pace applies. Default `rpm / 10`, at least 1. */
  burst: z.int('burst must be a whole number of requests').min(1, 'burst must be at least 1').max(1_000_000).optional(),
});

/** A Redis URL: `redis://[user:password@]host[:port][/db]`, or `rediss://` for TLS. */
const redisUrl = z.string().regex(/^rediss?:\/\/[^/\s]/, 'expected redis://host:port or rediss://host:port');

/**
 * The config file's `edge` section: who may connect and how fast. Shared across replicas through the
 * state store (or Redis, `rateLimitStore`). An allow-list is never the only factor: every guarded
 * route still needs a key.
 */
export const edgeConfigSchema = z.strictObject({
  /** Global IP allow-list; a client outside it gets 403 (audited). Default none: every address. */
  allowIps: cidrList.optional(),
  /** Proxies whose `X-Forwarded-For` is believed (read right to left). Default none: the header is ignored. */
  trustedProxies: cidrList.optional(),
  /** The limit of each API key (its own bucket per key), shared by every replica. Default none. */
  rateLimit: rateLimitConfigSchema.optional(),
  /** Failed authentications allowed per client address (IPv6 by /64) per minute, shared by every replica; then 429. Default 30. */
  authFailuresPerMinute: z.int().min(1, 'authFailuresPerMinute must be at least 1').optional(),
  /**
   * Where the buckets every replica shares live: `state` (default) the state store's PostgreSQL,
   * `redis` the Redis at `rateLimitRedisUrl`. Either way each replica keeps an in-process fast path,
   * and answers alone, logged, while the shared store fails.
   */
  rateLimitStore: z.enum(['state', 'redis']).optional(),
  /** The Redis of `rateLimitStore: "redis"`; setting it alone selects Redis. Env `MEMGATE_RATE_LIMIT_REDIS_URL` wins. */
  rateLimitRedisUrl: redisUrl.optional(),
  /** Put before every bucket key in that Redis, so that several fleets can share one server. Default `memgate:rate-limit:`. */
  rateLimitRedisKeyPrefix: z.string().min(1).max(200).optional(),
});

/** The `edge` section as `memgate serve` uses it. */
export type EdgeSettings = z.infer<typeof edgeConfigSchema>;

/**
 * The `edge` section with `MEMGATE_RATE_LIMIT_REDIS_URL` applied: the variable wins over the file and
 * selects Redis. Returned as written when neither names Redis.
 * @throws CliUsageError when Redis is chosen without a URL, or a URL is given with `rateLimitStore: "state"`
 */
export function resolveEdgeSettings(section: EdgeSettings | undefined, redisUrlFromEnv: string | undefined): EdgeSettings | undefined {
  if (redisUrlFromEnv !== undefined) return { ...section, rateLimitStore: 'redis', rateLimitRedisUrl: redisUrlFromEnv };
  if (section?.rateLimitStore === 'redis' && section.rateLimitRedisUrl === undefined) {
    throw new CliUsageError('invalid edge.rateLimitRedisUrl (MEMGATE_RATE_LIMIT_REDIS_URL): required with edge.rateLimitStore "redis"');
  }
  if (section?.rateLimitStore === 'state' && section.rateLimitRedisUrl !== undefined) {
    throw new CliUsageError('invalid edge.rateLimitRedisUrl: a Redis URL with edge.rateLimitStore "state"; drop one of them');
  }
  if (section?.rateLimitRedisUrl !== undefined && section.rateLimitStore === undefined) return { ...section, rateLimitStore: 'redis' };
  return section;
}
