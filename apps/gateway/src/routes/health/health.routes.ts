import { createRoute, z } from '@hono/zod-openapi';

const livenessSchema = z.object({ status: z.literal('ok') }).openapi('Liveness');
const readinessSchema = z.object({ status: z.enum(['ready', 'not ready']) }).openapi('Readiness');

/** `GET /healthz`: the process is up. No key needed; answers status only. */
export const healthzRoute = createRoute({
  method: 'get',
  path: '/healthz',
  tags: ['operations'],
  summary: 'Liveness',
  responses: { 200: { description: 'The process answers', content: { 'application/json': { schema: livenessSchema } } } },
});

/** `GET /readyz`: the memory provider answers its probe. No key needed; answers status only (the reason of a failure is logged). */
export const readyzRoute = createRoute({
  method: 'get',
  path: '/readyz',
  tags: ['operations'],
  summary: 'Readiness: probes the memory provider',
  responses: {
    200: { description: 'The provider answered', content: { 'application/json': { schema: readinessSchema } } },
    503: { description: 'The provider did not answer (see the log for why)', content: { 'application/json': { schema: readinessSchema } } },
  },
});
