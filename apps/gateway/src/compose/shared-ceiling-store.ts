import type { SharedCeilingStore } from '@memgate/failover';
import type { RateLimitStore } from '@memgate/security';

/** Where the providers' shared ceilings are kept among the shared rate-limit buckets. */
export const providerCeilingKeyPrefix = 'provider-ceiling:';

/**
 * The providers' request ceilings, shared by every replica in the buckets the key rate limits use (the
 * state store's `rate_limit_buckets`, or Redis with `edge.rateLimitStore: "redis"`): one bucket per
 * provider, `provider-ceiling:<name>`, of the ceiling's burst refilled at its rate. A take is the store's
 * own (atomic, all or nothing; a give-back is a negative cost, and the bucket never holds more than its
 * burst). Pass the shared store itself, not the layered one: the pool's ceiling syncer falls back to
 * the rate on each replica when the store fails.
 */
export function createSharedCeilingStore(buckets: RateLimitStore, now: () => number = Date.now): SharedCeilingStore {
  return {
    async take(member, rule, count) {
      const result = await buckets.consume(`${providerCeilingKeyPrefix}${member}`, { capacity: rule.burst, refillPerSecond: rule.requestsPerSecond }, now(), count);
      // A give-back may leave more than the burst in the stored state; the next take caps it.
      return { taken: result.allowed, available: Math.min(rule.burst, result.state.tokens) };
    },
  };
}
