import { createRoute, z } from '@hono/zod-openapi';

const healthSchema = z.object({ status: z.enum(['ok', 'unavailable']), provider: z.string().optional(), latency_ms: z.number().optional(), error: z.string().optional() }).openapi('Health');

/** `GET /healthz`: the process is up. No key needed. */
export const healthzRoute = createRoute({
  method: 'get',
  path: '/healthz',
  tags: ['operations'],
  summary: 'Liveness',
  responses: { 200: { description: 'The process answers', content: { 'application/json': { schema: healthSchema } } } },
});

/** `GET /readyz`: the memory provider answers its probe. No key needed. */
export const readyzRoute = createRoute({
  method: 'get',
  path: '/readyz',
  tags: ['operations'],
  summary: 'Readiness: probes the memory provider',
  responses: {
    200: { description: 'The provider answered', content: { 'application/json': { schema: healthSchema } } },
    503: { description: 'The provider did not answer', content: { 'application/json': { schema: healthSchema } } },
  },
});
