import { createInMemoryRateLimitStore, type RateLimitStore } from './rate-limit-store.js';
import { takeTokens, type TokenBucketResult } from './token-bucket.js';

/** Options of {@link createLayeredRateLimitStore}. */
export interface LayeredRateLimitStoreOptions {
  /** The store every replica shares (the state store's `rateLimits`). */
  shared: RateLimitStore;
  /** Buckets this process has seen refused. Default an in-memory store of 100,000 keys. */
  maxLocalKeys?: number;
  /** Told when the shared store fails; the take is then answered by the local copy alone. Default ignore. */
  onSharedError?: (error: unknown) => void;
}

/**
 * A shared store with an in-process fast path. A refusal from the shared store is remembered here
 * with its state, and while that copy still lacks the tokens a take is refused without a round trip:
 * other replicas can only have taken more since, so the shared bucket is at most as full. Every other
 * take goes to the shared store, which alone decides an admission. A zero-cost take (a peek, as
 * `authenticate` does before every request) is answered here alone: the local copy of a refused
 * bucket, else a full bucket, so a peek costs no round trip (a replica learns that a bucket emptied
 * elsewhere at its own first refused take). When the shared store fails, the local copy answers (the
 * limit then holds per replica until it is back).
 */
export function createLayeredRateLimitStore({ shared, maxLocalKeys = 100_000, onSharedError = () => undefined }: LayeredRateLimitStoreOptions): RateLimitStore {
  const refused = new Map<string, TokenBucketResult['state']>();
  const fallback = createInMemoryRateLimitStore(maxLocalKeys);
  return {
    async consume(key, rule, now, cost) {
      const known = refused.get(key);
      if (known) {
        const local = takeTokens(rule, known, now, cost);
        if (!local.allowed || cost === 0) return local;
        refused.delete(key);
      }
      if (cost === 0) return takeTokens(rule, undefined, now, 0);
      let result: TokenBucketResult;
      try {
        result = await shared.consume(key, rule, now, cost);
      } catch (error) {
        onSharedError(error);
        return fallback.consume(key, rule, now, cost);
      }
      if (result.allowed) return result;
      refused.delete(key);
      if (refused.size >= maxLocalKeys) refused.delete(refused.keys().next().value!);
      refused.set(key, result.state);
      return result;
    },
  };
}
