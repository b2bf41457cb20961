import { createInMemoryQuotaCounterStore, createLayeredRateLimitStore, createRateLimiter, createRedisRateLimitStore, redisEvictionPolicyProblem, type QuotaCounterStore, type RateLimiter, type RateLimitStore, type TokenBucketRule } from '@memgate/security';
import { ipAllowList, rateLimit } from '@memgate/security/hono';
import type { Context, MiddlewareHandler } from 'hono';
import { Redis } from 'ioredis';
import type { EdgeSettings } from '../cli/edge-config-schema.js';
import { keyQuotas } from './key-quotas.js';

/** The edge checks of the app, in the order `createApp` places them around `authenticate`. */
export interface EdgeGuards {
  /** Client address (trusted proxies honoured) and the global allow-list: after the audit trail, before authentication. */
  readonly beforeAuthentication: readonly MiddlewareHandler[];
  /** Failed authentications per client address; passed to `authenticate`. */
  readonly failureLimiter: RateLimiter;
  /** Each key's rate limit (its own, else the configured default), then its quotas on adds: after authentication, before authorization. */
  readonly afterAuthentication: readonly MiddlewareHandler[];
  /** Where the shared buckets are: the state store's, or the Redis of `edge.rateLimitRedisUrl`. */
  readonly sharedStore: 'state' | 'redis';
  /** The shared buckets themselves (no in-process layer, failures thrown): the providers' ceilings lease from them. */
  readonly sharedBuckets: RateLimitStore;
  /** Closes the Redis client, when there is one. Idempotent. */
  close(): Promise<void>;
}

/** Options of {@link createEdgeGuards}. */
export interface CreateEdgeGuardsOptions {
  readonly settings: EdgeSettings | undefined;
  /** The buckets every replica shares (the state store's `rateLimits`); not used with `rateLimitStore: "redis"`. */
  readonly sharedBuckets: RateLimitStore;
  /**
   * Told when the shared store fails (the replica then limits on its own), at most once every 10 s
   * (the error then says how many more failed meanwhile), and of a Redis whose eviction policy can drop
   * a bucket that is not full.
   */
  readonly onSharedError?: (error: unknown) => void;
  /** Keys' daily write counts (the state store's `quotaCounters`, shared by every replica). Default: this process's own. */
  readonly quotaCounters?: QuotaCounterStore;
}

/** A rule of `rpm` per minute with a burst of `burst` (default a tenth of `rpm`, at least 1). */
export function perMinuteRule(rpm: number, burst = Math.max(1, Math.floor(rpm / 10))): TokenBucketRule {
  return { capacity: burst, refillPerSecond: rpm / 60 };
}

/** How often a failing shared store is reported: every request would otherwise log its own warning. */
const sharedErrorReportEveryMs = 10_000;

/**
 * Builds the edge checks from the config's `edge` section. Limits go through the shared buckets
 * (the state store's, or Redis with `rateLimitStore: "redis"`) with an in-process fast path
 * (`createLayeredRateLimitStore`), so they hold across replicas.
 *
 * When the shared store fails, the limits fail open to the in-process buckets (each replica then
 * limits on its own, so the fleet admits at most replicas × the limit) and the failure is logged. A
 * rate limit protects capacity, not secrets: keys, scopes and allow-lists are checked whatever the
 * store does, and refusing every request because a counter is unreachable would turn a Redis outage
 * into a gateway outage. The Redis client gives up on a command after 500 ms, and for a second after
 * a failure takes skip Redis altogether, so an outage adds no latency to most requests.
 */
export function createEdgeGuards({ settings = {}, sharedBuckets, onSharedError, quotaCounters = createInMemoryQuotaCounterStore() }: CreateEdgeGuardsOptions): EdgeGuards {
  const report = onSharedError ? reportAtMostEvery(onSharedError, sharedErrorReportEveryMs) : undefined;
  const redis = settings.rateLimitStore === 'redis' && settings.rateLimitRedisUrl !== undefined ? connectRedis(settings.rateLimitRedisUrl) : undefined;
  if (redis && onSharedError) {
    void redisEvictionPolicyProblem(redis).then((problem) => problem && onSharedError(new Error(`Redis rate-limit store: ${problem}`)));
  }
  const shared = redis ? createRedisRateLimitStore({ client: redis, ...(settings.rateLimitRedisKeyPrefix ? { keyPrefix: settings.rateLimitRedisKeyPrefix } : {}) }) : sharedBuckets;
  const store = createLayeredRateLimitStore({ shared, ...(report ? { onSharedError: report } : {}) });
  const authFailures = settings.authFailuresPerMinute ?? 30;
  const failureLimiter = createRateLimiter({ rule: perMinuteRule(authFailures, authFailures), store });
  const beforeAuthentication = [ipAllowList({ ...(settings.allowIps ? { allow: settings.allowIps } : {}), trustedProxies: settings.trustedProxies ?? [] })];
  // A key's own limit wins over the configured default; a key with neither is not limited.
  const fallback = settings.rateLimit ? perMinuteRule(settings.rateLimit.rpm, settings.rateLimit.burst) : undefined;
  const limiter = createRateLimiter({ rule: fallback ?? perMinuteRule(1), store, namespace: 'rate:' });
  const ruleOf = (c: Context): TokenBucketRule | undefined => {
    const own = c.get('principal')?.rateLimit;
    return own ? perMinuteRule(own.rpm, own.burst) : fallback;
  };
  const afterAuthentication: MiddlewareHandler[] = [rateLimit({ limiter, key: keyOfPrincipal, rule: ruleOf }), keyQuotas({ counters: quotaCounters }) as MiddlewareHandler];
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= redis ? (redis.status === 'ready' ? redis.quit().then(() => undefined, () => redis.disconnect()) : Promise.resolve(redis.disconnect())) : Promise.resolve());
  return { beforeAuthentication, failureLimiter, afterAuthentication, sharedStore: redis ? 'redis' : 'state', sharedBuckets: shared, close };
}

/**
 * The Redis client of the shared buckets. It connects at once (the first requests find it ready),
 * gives up on a command after 500 ms or one reconnection, and keeps reconnecting in the background
 * with a capped backoff, so the shared limits come back by themselves with the server.
 */
function connectRedis(url: string): Redis {
  const redis = new Redis(url, { connectTimeout: 2_000, commandTimeout: 500, maxRetriesPerRequest: 1, retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, 2_000), connectionName: 'memgate:rate-limits' });
  // Without a listener ioredis prints every failed reconnection; failed commands reach onSharedError.
  redis.on('error', () => {});
  return redis;
}

/** Passes the first error on, then at most one every `everyMs`, saying how many were held back. */
function reportAtMostEvery(report: (error: unknown) => void, everyMs: number): (error: unknown) => void {
  let reportedAt = Number.NEGATIVE_INFINITY;
  let heldBack = 0;
  return (error) => {
    const now = Date.now();
    if (now - reportedAt < everyMs) {
      heldBack += 1;
      return;
    }
    reportedAt = now;
    report(heldBack === 0 ? error : new Error(`${(error as Error)?.message ?? String(error)} (and ${heldBack} more failures since the last report)`, { cause: error }));
    heldBack = 0;
  };
}

/** Each key's own bucket; anonymous calls (the public paths) are not limited per key. */
function keyOfPrincipal(c: Context): string | undefined {
  const principal = c.get('principal');
  return principal ? `key:${principal.keyId ?? principal.id}` : undefined;
}
