import { RateLimitedError, ValidationError } from '@memgate/core';
import { createInMemoryRateLimitStore, type RateLimitStore } from './rate-limit-store.js';
import type { TokenBucketResult, TokenBucketRule } from './token-bucket.js';

/** Options of {@link createRateLimiter}. */
export interface RateLimiterOptions {
  /** The bucket every key gets. */
  rule: TokenBucketRule;
  /** Default an in-memory store. */
  store?: RateLimitStore;
  /** Clock in epoch ms. Default `Date.now`. */
  now?: () => number;
  /** Prefix of bucket keys in a shared store, e.g. `key:` or `ip:`. Default `''`. */
  namespace?: string;
}

/** Limits calls per key (an API key id, a client IP...). */
export interface RateLimiter {
  readonly rule: TokenBucketRule;
  /**
   * Takes `cost` tokens (default 1) for `key`, under `rule` (default the limiter's: a key may carry its own).
   * @returns the bucket result when allowed
   * @throws RateLimitedError with `retryAfterMs` when the bucket is empty
   */
  consume(key: string, cost?: number, rule?: TokenBucketRule): Promise<TokenBucketResult>;
}

/**
 * A token-bucket limiter.
 * @throws ValidationError (field `rule.capacity` / `rule.refillPerSecond`) for a non-positive rule
 */
export function createRateLimiter({ rule, store = createInMemoryRateLimitStore(), now = Date.now, namespace = '' }: RateLimiterOptions): RateLimiter {
  if (!(rule.capacity > 0) || !Number.isFinite(rule.capacity)) throw new ValidationError({ message: 'capacity must be a positive number', field: 'rule.capacity' });
  if (!(rule.refillPerSecond >= 0) || !Number.isFinite(rule.refillPerSecond)) {
    throw new ValidationError({ message: 'refillPerSecond must be zero or more', field: 'rule.refillPerSecond' });
  }
  return {
    rule,
    async consume(key, cost = 1, keyRule = rule) {
      const result = await store.consume(`${namespace}${key}`, keyRule, now(), cost);
      if (!result.allowed) {
        const retryAfterMs = Number.isFinite(result.retryAfterMs) ? result.retryAfterMs : undefined;
        throw new RateLimitedError({ message: 'Rate limit exceeded.', ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
      }
      return result;
    },
  };
}
