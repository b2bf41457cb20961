import { takeTokens, type TokenBucketResult, type TokenBucketRule, type TokenBucketState } from './token-bucket.js';

/**
 * Where buckets live. A shared store (Redis, PostgreSQL) makes limits hold across replicas; it must
 * apply `takeTokens` atomically per key (a Lua script, a row lock).
 */
export interface RateLimitStore {
  /** Takes `cost` tokens from the bucket `key` under `rule` at `now` (epoch ms). */
  consume(key: string, rule: TokenBucketRule, now: number, cost: number): Promise<TokenBucketResult>;
}

/**
 * A {@link RateLimitStore} in process memory. It keeps at most `maxKeys` buckets and evicts the
 * least recently used one. An evicted bucket never comes back full: a bucket not found once evictions
 * have begun is taken to have been empty at the last eviction, and refills from then (so a brand-new
 * key may wait at most one refill of its burst; erring towards refusing, never towards a free burst).
 * @param maxKeys default 100000
 */
export function createInMemoryRateLimitStore(maxKeys = 100_000): RateLimitStore {
  const buckets = new Map<string, TokenBucketState>();
  let lastEvictionAt: number | undefined;
  return {
    async consume(key, rule, now, cost) {
      const previous = buckets.get(key) ?? (lastEvictionAt === undefined ? undefined : { tokens: 0, updatedAt: lastEvictionAt });
      const result = takeTokens(rule, previous, now, cost);
      buckets.delete(key); // re-insert to mark as most recently used
      if (buckets.size >= maxKeys) {
        buckets.delete(buckets.keys().next().value!);
        lastEvictionAt = now;
      }
      buckets.set(key, result.state);
      return result;
    },
  };
}
