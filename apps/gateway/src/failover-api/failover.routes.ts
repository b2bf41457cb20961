import { createRoute, z } from '@hono/zod-openapi';
import { keyed } from '../mem0/mem0-schemas.js';
import { managementErrors, nameParamsSchema } from '../providers-api/providers.schemas.js';
import {
  breakerViewSchema,
  decisionSchema,
  healthOverviewSchema,
  historyQuerySchema,
  providerHealthSchema,
  providerMetricsSchema,
  statisticsSchema,
  strategyBodySchema,
  trendsQuerySchema,
  trendsSchema,
  triggerBodySchema,
} from './failover.schemas.js';

const ok = (schema: z.ZodType, description: string) => ({ 200: { description, content: { 'application/json': { schema } } } });
const tags = ['health and failover'];
const { 400: invalid, 401: unauthorized, 404: missing } = managementErrors;

/** `GET /providers/health`. */
export const healthOverviewRoute = createRoute({ method: 'get', path: '/providers/health', tags, summary: 'Health of every provider, and the alerts firing now', security: keyed, responses: { ...ok(healthOverviewSchema, 'Every provider the health monitor knows'), 401: unauthorized } });

/** `GET /providers/{name}/health`. */
export const providerHealthRoute = createRoute({ method: 'get', path: '/providers/{name}/health', tags, summary: "One provider's health", security: keyed, request: { params: nameParamsSchema }, responses: { ...ok(providerHealthSchema, 'The provider'), 401: unauthorized, 404: missing } });

/** `GET /providers/{name}/metrics`. */
export const providerMetricsRoute = createRoute({
  method: 'get',
  path: '/providers/{name}/metrics',
  tags,
  summary: "One provider's rolling windows (1m, 5m, 1h), breaker and router counters",
  security: keyed,
  request: { params: nameParamsSchema },
  responses: { ...ok(providerMetricsSchema, 'The provider'), 401: unauthorized, 404: missing },
});

/** `GET /providers/{name}/trends`. */
export const providerTrendsRoute = createRoute({
  method: 'get',
  path: '/providers/{name}/trends',
  tags,
  summary: "One provider's hourly trend points, oldest first",
  security: keyed,
  request: { params: nameParamsSchema, query: trendsQuerySchema },
  responses: { ...ok(trendsSchema, 'The points'), 400: invalid, 401: unauthorized },
});

/** `GET /providers/failover/statistics`. */
export const statisticsRoute = createRoute({ method: 'get', path: '/providers/failover/statistics', tags, summary: "The pool's counters, strategy and members", security: keyed, responses: { ...ok(statisticsSchema, 'The statistics'), 401: unauthorized } });

/** `GET /providers/failover/history`. */
export const historyRoute = createRoute({
  method: 'get',
  path: '/providers/failover/history',
  tags,
  summary: 'Routing decisions, newest first',
  security: keyed,
  request: { query: historyQuerySchema },
  responses: { ...ok(z.object({ decisions: z.array(decisionSchema) }), 'The decisions'), 400: invalid, 401: unauthorized },
});

/** `POST /providers/failover/trigger`. */
export const triggerRoute = createRoute({
  method: 'post',
  path: '/providers/failover/trigger',
  tags,
  summary: 'Force a provider out of rotation or back in, or drain it',
  security: keyed,
  request: { body: { required: true, content: { 'application/json': { schema: triggerBodySchema } } } },
  responses: { ...ok(z.object({ provider: z.string(), action: z.string(), admin_state: z.string(), breaker: breakerViewSchema }), 'Done'), 400: invalid, 401: unauthorized, 404: missing },
});

/** `PUT /providers/failover/strategy`. */
export const strategyRoute = createRoute({
  method: 'put',
  path: '/providers/failover/strategy',
  tags,
  summary: 'Switch the routing strategy for the next requests',
  security: keyed,
  request: { body: { required: true, content: { 'application/json': { schema: strategyBodySchema } } } },
  responses: { ...ok(z.object({ strategy: z.string(), previous: z.string() }), 'The new strategy'), 400: invalid, 401: unauthorized },
});
