import { createRoute, z } from '@hono/zod-openapi';
import { errorResponsesWithNotFound, jsonBody, jsonOk, keyed, messageResultSchema, metadataSchema } from '../../mem0/mem0-schemas.js';

/** mem0's cap on one batch. */
export const maxBatchSize = 1000;

/** `PUT /v1/batch/` body. */
export const batchUpdateBodySchema = z
  .looseObject({
    memories: z.array(z.looseObject({ memory_id: z.string(), text: z.string().min(1).nullish(), metadata: metadataSchema.nullish() })).min(1).max(maxBatchSize),
  })
  .openapi('BatchUpdate');

/** `DELETE /v1/batch/` body. */
export const batchDeleteBodySchema = z
  .looseObject({ memories: z.array(z.looseObject({ memory_id: z.string() })).min(1).max(maxBatchSize) })
  .openapi('BatchDelete');

/** `PUT /v1/batch/`. */
export const batchUpdateRoute = createRoute({
  method: 'put',
  path: '/v1/batch',
  tags: ['mem0'],
  summary: 'Update up to 1000 memories',
  security: keyed,
  request: { body: jsonBody(batchUpdateBodySchema) },
  responses: { ...jsonOk(messageResultSchema, 'Updated'), ...errorResponsesWithNotFound },
});

/** `DELETE /v1/batch/` (with a JSON body). */
export const batchDeleteRoute = createRoute({
  method: 'delete',
  path: '/v1/batch',
  tags: ['mem0'],
  summary: 'Delete up to 1000 memories',
  security: keyed,
  request: { body: jsonBody(batchDeleteBodySchema) },
  responses: { ...jsonOk(messageResultSchema, 'Deleted'), ...errorResponsesWithNotFound },
});
