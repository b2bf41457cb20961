import { createRoute, z } from '@hono/zod-openapi';
import { entityIdsShape, errorResponses, jsonOk, keyed } from '../../mem0/mem0-schemas.js';

/** Delete results carry the event id mem0 clients may poll. */
export const deleteResultSchema = z.object({ message: z.string(), event_id: z.string(), deleted_count: z.number().int() }).openapi('DeleteResult');

/** `DELETE /v1/memories/?user_id=…`. */
export const deleteAllRoute = createRoute({
  method: 'delete',
  path: '/v1/memories',
  tags: ['mem0'],
  summary: 'Delete every memory of an entity (all given ids must match)',
  security: keyed,
  request: { query: z.looseObject(entityIdsShape) },
  responses: { ...jsonOk(deleteResultSchema, 'Deleted'), ...errorResponses },
});
