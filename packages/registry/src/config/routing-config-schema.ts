import { z } from 'zod';

/** The routing strategies of the failover manager. */
export const routingStrategies = ['priority', 'health', 'round_robin', 'performance', 'hybrid'] as const;

const positiveInteger = (message = 'expected a positive integer') => z.int({ error: message }).positive({ error: message });
const fraction = () => z.number({ error: 'expected a number between 0 and 1' }).min(0, { error: 'expected a number between 0 and 1' }).max(1, { error: 'expected a number between 0 and 1' });

/** Weights of the hybrid strategy; each in [0, 1]. Defaults 0.4 / 0.4 / 0.2. */
export const routingWeightsSchema = z
  .strictObject({ health: fraction().default(0.4), performance: fraction().default(0.4), priority: fraction().default(0.2) })
  .refine((weights) => weights.health + weights.performance + weights.priority > 0, { error: 'expected at least one weight above 0' });

/** Circuit breaker settings, per provider. */
export const breakerConfigSchema = z.strictObject({
  /** Consecutive failures that open the breaker. Default 5. */
  failure_threshold: positiveInteger().default(5),
  /** Failure rate over the window that opens the breaker (with `minimum_requests`). Default 0.5. */
  failure_rate: fraction().default(0.5),
  /** Requests in the window before the rate counts. Default 20. */
  minimum_requests: positiveInteger().default(20),
  /** Rolling window in milliseconds. Default 60000. */
  window_ms: positiveInteger().default(60_000),
  /** Open → half-open after this many milliseconds. Default 300000 (5 minutes). */
  cooldown_ms: positiveInteger().default(300_000),
  /** Trial calls admitted while half-open. Default 1. */
  half_open_max_calls: positiveInteger().default(1),
});

/** Retry settings shared by the router. */
export const retryConfigSchema = z.strictObject({
  /** Attempts per request, first call included. Default 3. */
  max_attempts: positiveInteger().default(3),
  /** First backoff in milliseconds. Default 100. */
  backoff_ms: z.int({ error: 'expected a non-negative integer' }).nonnegative({ error: 'expected a non-negative integer' }).default(100),
  /** Backoff ceiling in milliseconds. Default 2000. */
  max_backoff_ms: positiveInteger().default(2_000),
  /** Global retry budget as a fraction of live requests. Default 0.1. */
  budget_ratio: fraction().default(0.1),
  /**
   * Retries in flight the global budget always allows, however few requests are in flight. Optional;
   * absent keeps the failover package's floor (3, Envoy's `min_retry_concurrency`). A request's first
   * fallback to another healthy provider never needs the budget.
   */
  budget_min_concurrent: positiveInteger().optional(),
  /** Timeout of each attempt in milliseconds, inside the request's deadline. Default: the router's (2000), or a provider's own `timeout` when that is shorter. */
  attempt_timeout_ms: positiveInteger().optional(),
  /**
   * Hedged reads: a read not answered after this many milliseconds also goes to the next provider; the
   * first answer wins. Optional; absent is adaptive (4 × the provider's p99 over the last minute, within
   * 100–1000 ms); `false` turns hedging off.
   */
  hedge_reads_after_ms: z.union([positiveInteger(), z.literal(false)]).optional(),
});

/** The `routing` section of a config file: how the failover pool orders and guards providers. */
export const routingConfigSchema = z.strictObject({
  /** Default `priority`. */
  strategy: z.enum(routingStrategies, { error: `expected one of ${routingStrategies.join(', ')}` }).default('priority'),
  weights: routingWeightsSchema.optional(),
  breaker: breakerConfigSchema.optional(),
  retry: retryConfigSchema.optional(),
  /** Providers that must hold a write before it is acknowledged. Default 1. */
  write_quorum: positiveInteger().default(1),
  /**
   * Bound of each provider's replication backlog (undelivered journal entries): past it, writes get 503 with
   * `Retry-After` (`retry_after_ms`) and a `replication-backlog` alert fires until the provider catches up or
   * `memgate resync` runs. Defaults: 100 000 entries, 268 435 456 bytes (256 MiB), 30 000 ms.
   */
  backlog_limit: z
    .strictObject({ entries: positiveInteger().optional(), bytes: positiveInteger().optional(), retry_after_ms: positiveInteger().optional() })
    .optional(),
  /**
   * Anti-entropy: every this many milliseconds the gateway compares its caught-up providers (per-scope
   * counts and content hashes) and repairs drift, logging what it fixed. 0 turns it off. Default 3 600 000 (1 h).
   */
  reconcile_interval_ms: z.int({ error: 'expected a non-negative integer' }).nonnegative({ error: 'expected a non-negative integer' }).default(3_600_000),
  /** When every breaker is open, try the least-bad provider instead of failing fast. Default false. */
  panic: z.boolean({ error: 'expected true or false' }).default(false),
});

/** The validated `routing` section. */
export type RoutingConfig = z.output<typeof routingConfigSchema>;
