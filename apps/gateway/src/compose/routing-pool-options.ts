import type { FailoverPoolMemberOptions, FailoverPoolOptions, RoutingStrategyName } from '@memgate/failover';
import type { ProviderConfig, RoutingConfig } from '@memgate/registry';

/** The pool settings a config's `routing` section maps to (everything but the members). */
export type RoutingPoolOptions = Pick<FailoverPoolOptions, 'strategy' | 'hybridWeights' | 'breaker' | 'retry' | 'panic'>;

/** The config spells strategies with `_` (`round_robin`); the failover package with `-`. */
export function toStrategyName(strategy: string): RoutingStrategyName {
  return strategy.replace(/_/g, '-') as RoutingStrategyName;
}

/**
 * Translates the config's `routing` section (snake_case, see `@memgate/registry`) into the options of
 * `createFailoverPool`. Absent fields keep the failover package's defaults. `write_quorum` needs the
 * write journal, which the pool gets separately.
 * @param longestProviderTimeoutMs the largest `timeout` of the members: the router's attempt timeout
 *   must not cut a provider short of its own timeout unless `retry.attempt_timeout_ms` says so
 */
export function routingPoolOptions(routing: RoutingConfig | undefined, longestProviderTimeoutMs?: number): RoutingPoolOptions {
  const retry = routing?.retry;
  const breaker = routing?.breaker;
  const attemptTimeoutMs = retry?.attempt_timeout_ms ?? longestProviderTimeoutMs;
  return {
    strategy: toStrategyName(routing?.strategy ?? 'priority'),
    ...(routing?.weights ? { hybridWeights: routing.weights } : {}),
    ...(breaker
      ? {
          breaker: {
            consecutiveFailures: breaker.failure_threshold,
            failureRate: { threshold: breaker.failure_rate, windowMs: breaker.window_ms, minimumVolume: breaker.minimum_requests },
            cooldownMs: breaker.cooldown_ms,
            halfOpenMaxConcurrent: breaker.half_open_max_calls,
          },
        }
      : {}),
    retry: {
      ...(retry ? { maxAttempts: retry.max_attempts, backoffBaseMs: retry.backoff_ms, backoffMaxMs: retry.max_backoff_ms, budget: { ratio: retry.budget_ratio, ...(retry.budget_min_concurrent === undefined ? {} : { minConcurrent: retry.budget_min_concurrent }) } } : {}),
      ...(attemptTimeoutMs === undefined ? {} : { attemptTimeoutMs }),
      ...(retry?.hedge_reads_after_ms === undefined ? {} : { hedgeReadsAfterMs: retry.hedge_reads_after_ms }),
    },
    panic: routing?.panic ? 'least-bad' : 'fail-fast',
  };
}

/** The member options of one provider entry besides the provider itself: order, share, retries and request ceiling. */
export type ProviderMemberOptions = Omit<FailoverPoolMemberOptions, 'provider'>;

/**
 * Translates a provider entry's routing fields (snake_case, see `@memgate/registry`) into its member
 * options in `createFailoverPool`: `priority`, `weight`, `retry_attempts` and the request ceiling
 * `rate_limit: {rps, burst}` (absent or `null`: none).
 */
export function providerMemberOptions(config: Pick<ProviderConfig, 'priority' | 'weight' | 'retry_attempts' | 'rate_limit'>): ProviderMemberOptions {
  const ceiling = config.rate_limit;
  return {
    priority: config.priority,
    weight: config.weight,
    retryAttempts: config.retry_attempts,
    ...(ceiling ? { maxRequestsPerSecond: ceiling.rps, ...(ceiling.burst === undefined ? {} : { burst: ceiling.burst }) } : {}),
  };
}
