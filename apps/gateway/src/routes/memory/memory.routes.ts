import { createRoute, z } from '@hono/zod-openapi';
import { errorResponsesWithNotFound, jsonBody, jsonOk, keyed, memorySchema, messageResultSchema, metadataSchema } from '../../mem0/mem0-schemas.js';

const params = z.object({ memory_id: z.string().openapi({ param: { name: 'memory_id', in: 'path' }, format: 'uuid' }) });

/** The update body: new text and/or metadata (metadata replaces the old value whole). */
export const updateBodySchema = z
  .looseObject({ text: z.string().min(1).nullish(), metadata: metadataSchema.nullish(), timestamp: z.union([z.number(), z.string()]).nullish() })
  .openapi('UpdateMemory');

const historyEntrySchema = z
  .object({
    id: z.string(),
    memory_id: z.string(),
    input: z.array(z.object({ role: z.string(), content: z.string() })),
    old_memory: z.string().nullable(),
    new_memory: z.string().nullable(),
    event: z.enum(['ADD', 'UPDATE', 'DELETE']),
    user_id: z.string().nullable(),
    agent_id: z.string().nullable(),
    app_id: z.string().nullable(),
    run_id: z.string().nullable(),
    session_id: z.string().nullable(),
    categories: z.array(z.string()),
    metadata: z.null(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('HistoryEntry');

/** `GET /v1/memories/{memory_id}/`. */
export const getMemoryRoute = createRoute({
  method: 'get',
  path: '/v1/memories/{memory_id}',
  tags: ['mem0'],
  summary: 'Get one memory',
  security: keyed,
  request: { params },
  responses: { ...jsonOk(memorySchema, 'The memory'), ...errorResponsesWithNotFound },
});

/** `PUT /v1/memories/{memory_id}/`. */
export const updateMemoryRoute = createRoute({
  method: 'put',
  path: '/v1/memories/{memory_id}',
  tags: ['mem0'],
  summary: 'Update a memory’s text and/or metadata',
  security: keyed,
  request: { params, body: jsonBody(updateBodySchema) },
  responses: { ...jsonOk(memorySchema, 'The updated memory'), ...errorResponsesWithNotFound },
});

/** `DELETE /v1/memories/{memory_id}/`. */
export const deleteMemoryRoute = createRoute({
  method: 'delete',
  path: '/v1/memories/{memory_id}',
  tags: ['mem0'],
  summary: 'Delete a memory',
  security: keyed,
  request: { params },
  responses: { ...jsonOk(messageResultSchema, 'Deleted'), ...errorResponsesWithNotFound },
});

/** `GET /v1/memories/{memory_id}/history/`. */
export const memoryHistoryRoute = createRoute({
  method: 'get',
  path: '/v1/memories/{memory_id}/history',
  tags: ['mem0'],
  summary: 'A memory’s ADD/UPDATE/DELETE history, oldest first',
  security: keyed,
  request: { params },
  responses: { ...jsonOk(z.array(historyEntrySchema), 'The history'), ...errorResponsesWithNotFound },
});
