import { z } from '@hono/zod-openapi';
import { routingStrategies } from '@memgate/registry';

const quantiles = z.object({ p50: z.number(), p95: z.number(), p99: z.number() }).nullable();
const window = z.object({ volume: z.int(), successes: z.int(), failures: z.int(), success_rate: z.number().nullable(), latency_ms: quantiles });

/** A breaker as the API shows it. */
export const breakerViewSchema = z
  .object({
    state: z.enum(['closed', 'open', 'half-open', 'isolated']),
    consecutive_failures: z.int(),
    opened_at: z.number().nullable(),
    open_until: z.number().nullable(),
    last_reason: z.string().nullable(),
    trips: z.int(),
  })
  .openapi('Breaker');

/** One provider's health: the monitor's snapshot (snake_case) plus its place in the pool. */
export const providerHealthSchema = z
  .looseObject({
    provider: z.string(),
    status: z.enum(['unknown', 'healthy', 'degraded', 'unhealthy']),
    score: z.number(),
    up: z.boolean(),
    uptime: z.number(),
    consecutive_failures: z.int(),
    windows: z.object({ '1m': window, '5m': window, '1h': window }),
    /** `active`, `forced-out`, `draining`, or `null` when the provider is not in the pool. */
    admin_state: z.string().nullable(),
    breaker: breakerViewSchema.nullable(),
  })
  .openapi('ProviderHealth');

/** A health alert event. */
export const alertSchema = z.looseObject({ id: z.string(), rule: z.string(), provider: z.string(), state: z.enum(['firing', 'resolved']), severity: z.string(), summary: z.string() }).openapi('HealthAlert');

/** `GET /providers/health`. */
export const healthOverviewSchema = z.object({ at: z.number(), providers: z.array(providerHealthSchema), firing_alerts: z.array(alertSchema) }).openapi('HealthOverview');

/** `GET /providers/{name}/metrics`. */
export const providerMetricsSchema = z
  .object({
    provider: z.string(),
    score: z.number(),
    windows: z.object({ '1m': window, '5m': window, '1h': window }),
    breaker: breakerViewSchema.nullable(),
    attempts: z.int(),
    successes: z.int(),
    failures: z.int(),
    served: z.int(),
    in_flight: z.int(),
    /** The provider's request ceiling (`rate_limit`) and how often the router passed it over at it; `null` without one. */
    ceiling: z.object({ requests_per_second: z.number(), burst: z.int(), available: z.int(), skips: z.int() }).nullable(),
  })
  .openapi('ProviderMetrics');

/** `GET /providers/{name}/trends`. */
export const trendsSchema = z
  .object({
    provider: z.string(),
    from: z.number(),
    to: z.number(),
    points: z.array(z.looseObject({ hour_start: z.number(), volume: z.int(), successes: z.int(), failures: z.int(), uptime: z.number(), score: z.number() })),
  })
  .openapi('HealthTrends');

/** `?hours=` of the trends route. */
export const trendsQuerySchema = z.strictObject({ hours: z.coerce.number().int().min(1).max(24 * 30).optional().openapi({ description: 'Hours back from now. Default 24.' }) });

/** `GET /providers/failover/statistics`. */
export const statisticsSchema = z.looseObject({ pool: z.string(), strategy: z.string(), requests: z.int(), fallbacks: z.int(), members: z.array(z.looseObject({ name: z.string(), admin_state: z.string(), breaker: breakerViewSchema })) }).openapi('FailoverStatistics');

/** Filters of `GET /providers/failover/history`. */
export const historyQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).optional().openapi({ description: 'Newest first; default 100.' }),
  provider: z.string().min(1).optional().openapi({ description: 'Only decisions that tried this provider.' }),
  since: z.coerce.number().int().min(0).optional().openapi({ description: 'Epoch milliseconds.' }),
  outcome: z.enum(['success', 'failure']).optional(),
});

/** A routing decision (snake_case). */
export const decisionSchema = z
  .looseObject({ id: z.string(), operation: z.string(), strategy: z.string(), order: z.array(z.string()), chosen: z.string().nullable(), fallbacks: z.int(), overhead_ms: z.number(), outcome: z.enum(['success', 'failure']) })
  .openapi('RoutingDecision');

/** The actions of `POST /providers/failover/trigger`. */
export const triggerActions = ['force_out', 'force_in', 'drain'] as const;

/** Body of `POST /providers/failover/trigger`. Unknown fields are 400s. */
export const triggerBodySchema = z
  .strictObject({
    provider: z.string().min(1),
    /** `force_out`: no traffic now; `force_in`: back in rotation with a closed breaker; `drain`: no new traffic, answers once in-flight calls ended. */
    action: z.enum(triggerActions),
  })
  .openapi('FailoverTrigger');

/** Body of `PUT /providers/failover/strategy`. Unknown fields are 400s. */
export const strategyBodySchema = z.strictObject({ strategy: z.enum([...routingStrategies, 'round-robin']) }).openapi('FailoverStrategy');
