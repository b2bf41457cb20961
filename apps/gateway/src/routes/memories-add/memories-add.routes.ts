import { createRoute, z } from '@hono/zod-openapi';
import { entityIdsShape, errorResponses, jsonBody, jsonOk, keyed, messageSchema, metadataSchema } from '../../mem0/mem0-schemas.js';

/** The body of mem0's add (v3 and v1). */
export const addBodySchema = z
  .looseObject({
    messages: z.union([z.string().min(1), z.array(messageSchema).min(1)]),
    ...entityIdsShape,
    metadata: metadataSchema.nullish(),
    infer: z.boolean().optional(),
    timestamp: z.union([z.number(), z.string()]).nullish(),
    output_format: z.string().nullish(),
  })
  .openapi('AddMemories');

const addResultSchema = z.object({ id: z.string(), memory: z.string(), event: z.literal('ADD'), data: z.object({ memory: z.string() }) }).openapi('AddResult');

/** The v3 add response (mem0's synchronous `infer: false` shape). */
export const addResponseSchema = z
  .object({ status: z.literal('SUCCEEDED'), event_id: z.string(), message: z.string(), results: z.array(addResultSchema) })
  .openapi('AddResponse');

/** `POST /v3/memories/add/`. */
export const addV3Route = createRoute({
  method: 'post',
  path: '/v3/memories/add',
  tags: ['mem0'],
  summary: 'Add memories: each non-system message is stored verbatim as one memory',
  security: keyed,
  request: { body: jsonBody(addBodySchema) },
  responses: { ...jsonOk(addResponseSchema, 'Stored'), ...errorResponses },
});

/** `POST /v1/memories/` (mem0ai 2.x): a bare array of results, or `{results, relations}` with `output_format: "v1.1"`. */
export const addV1Route = createRoute({
  method: 'post',
  path: '/v1/memories',
  tags: ['mem0 (legacy)'],
  summary: 'Add memories (v1)',
  security: keyed,
  request: { body: jsonBody(addBodySchema) },
  responses: {
    ...jsonOk(z.union([z.array(addResultSchema), z.object({ results: z.array(addResultSchema), relations: z.array(z.unknown()) })]), 'Stored'),
    ...errorResponses,
  },
});
