import { createRoute, z } from '@hono/zod-openapi';
import { errorResponsesWithNotFound, jsonOk, keyed } from '../../mem0/mem0-schemas.js';

/** An event in mem0's shape. */
export const eventSchema = z
  .object({
    id: z.string(),
    event_type: z.string(),
    status: z.enum(['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED']),
    payload: z.unknown(),
    metadata: z.record(z.string(), z.unknown()),
    results: z.array(z.unknown()),
    created_at: z.string(),
    updated_at: z.string(),
    started_at: z.string(),
    completed_at: z.string(),
    latency: z.number(),
    graph_status: z.null(),
    error: z.string().nullable(),
  })
  .openapi('Event');

/** `GET /v1/event/{event_id}/`. */
export const getEventRoute = createRoute({
  method: 'get',
  path: '/v1/event/{event_id}',
  tags: ['mem0'],
  summary: 'The status of a write event',
  security: keyed,
  request: { params: z.object({ event_id: z.string().openapi({ param: { name: 'event_id', in: 'path' } }) }) },
  responses: { ...jsonOk(eventSchema, 'The event'), ...errorResponsesWithNotFound },
});
