import { takeTokens, type TokenBucketResult, type TokenBucketRule } from './token-bucket.js';

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
 * least recently used one (an evicted bucket comes back full, which errs towards admitting).
 * @param maxKeys default 100000
 */
export function createInMemoryRateLimitStore(maxKeys = 100_000): RateLimitStore {
  const buckets = new Map<string, ReturnType<typeof takeTokens>['state']>();
  return {
    async consume(key, rule, now, cost) {
      const previous = buckets.get(key);
      const result = takeTokens(rule, previous, now, cost);
      buckets.delete(key); // re-insert to mark as most recently used
      if (buckets.size >= maxKeys) buckets.delete(buckets.keys().next().value!);
      buckets.set(key, result.state);
      return result;
    },
  };
}
