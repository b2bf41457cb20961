import { createRoute, z } from '@hono/zod-openapi';
import { keyed } from '../../mem0/mem0-schemas.js';

/** `GET /metrics`: Prometheus text exposition format. */
export const metricsRoute = createRoute({
  method: 'get',
  path: '/metrics',
  tags: ['health and failover'],
  summary: 'Prometheus metrics (names and labels in apps/gateway/README.md)',
  security: keyed,
  responses: { 200: { description: 'Prometheus text format 0.0.4', content: { 'text/plain': { schema: z.string() } } } },
});
