import { createLayeredRateLimitStore, createRateLimiter, type RateLimiter, type RateLimitStore, type TokenBucketRule } from '@memgate/security';
import { ipAllowList, rateLimit } from '@memgate/security/hono';
import type { Context, MiddlewareHandler } from 'hono';
import type { EdgeSettings } from '../cli/edge-config-schema.js';

/** The edge checks of the app, in the order `createApp` places them around `authenticate`. */
export interface EdgeGuards {
  /** Client address (trusted proxies honoured) and the global allow-list: after the audit trail, before authentication. */
  readonly beforeAuthentication: readonly MiddlewareHandler[];
  /** Failed authentications per client address; passed to `authenticate`. */
  readonly failureLimiter: RateLimiter;
  /** Each key's rate limit (its own, else the configured default): after authentication, before authorization. */
  readonly afterAuthentication: readonly MiddlewareHandler[];
}

/** Options of {@link createEdgeGuards}. */
export interface CreateEdgeGuardsOptions {
  readonly settings: EdgeSettings | undefined;
  /** The buckets every replica shares (the state store's `rateLimits`). */
  readonly sharedBuckets: RateLimitStore;
  /** Told when the shared store fails (the replica then limits on its own). */
  readonly onSharedError?: (error: unknown) => void;
}

/** A rule of `rpm` per minute with a burst of `burst` (default a tenth of `rpm`, at least 1). */
export function perMinuteRule(rpm: number, burst = Math.max(1, Math.floor(rpm / 10))): TokenBucketRule {
  return { capacity: burst, refillPerSecond: rpm / 60 };
}

/**
 * Builds the edge checks from the config's `edge` section. Limits go through the shared buckets
 * with an in-process fast path (`createLayeredRateLimitStore`), so they hold across replicas.
 */
export function createEdgeGuards({ settings = {}, sharedBuckets, onSharedError }: CreateEdgeGuardsOptions): EdgeGuards {
  const store = createLayeredRateLimitStore({ shared: sharedBuckets, ...(onSharedError ? { onSharedError } : {}) });
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
  const afterAuthentication: MiddlewareHandler[] = [rateLimit({ limiter, key: keyOfPrincipal, rule: ruleOf })];
  return { beforeAuthentication, failureLimiter, afterAuthentication };
}

/** Each key's own bucket; anonymous calls (the public paths) are not limited per key. */
function keyOfPrincipal(c: Context): string | undefined {
  const principal = c.get('principal');
  return principal ? `key:${principal.keyId ?? principal.id}` : undefined;
}
