import { createRoute, z } from '@hono/zod-openapi';
import { entityIdsShape, errorResponses, jsonBody, jsonOk, keyed, memoryPageSchema, memorySchema, pageQuerySchema } from '../../mem0/mem0-schemas.js';

/** The v3/v2 listing body: `filters` must name an entity; `page`/`page_size` in the query win over the body. */
export const listBodySchema = z
  .looseObject({
    filters: z.record(z.string(), z.unknown()).nullish(),
    page: z.number().int().min(1).nullish(),
    page_size: z.number().int().min(1).max(1000).nullish(),
    ...entityIdsShape,
  })
  .openapi('ListMemories');

/** `POST /v3/memories/?page=&page_size=`. */
export const listV3Route = createRoute({
  method: 'post',
  path: '/v3/memories',
  tags: ['mem0'],
  summary: 'List memories matching filters, newest first',
  security: keyed,
  request: { query: pageQuerySchema, body: jsonBody(listBodySchema) },
  responses: { ...jsonOk(memoryPageSchema, 'One page'), ...errorResponses },
});

/** `POST /v2/memories/` (mem0ai 2.x): a bare array, or the page envelope when `page` or `page_size` is in the query. */
export const listV2Route = createRoute({
  method: 'post',
  path: '/v2/memories',
  tags: ['mem0 (legacy)'],
  summary: 'List memories (v2)',
  security: keyed,
  request: { query: pageQuerySchema, body: jsonBody(listBodySchema) },
  responses: { ...jsonOk(z.union([z.array(memorySchema), memoryPageSchema]), 'Memories'), ...errorResponses },
});

/** `GET /v1/memories/?user_id=…` (mem0ai 2.x): a bare array, or the page envelope when both `page` and `page_size` are given. */
export const listV1Route = createRoute({
  method: 'get',
  path: '/v1/memories',
  tags: ['mem0 (legacy)'],
  summary: 'List memories (v1)',
  security: keyed,
  request: { query: pageQuerySchema.extend({ ...entityIdsShape, metadata: z.string().optional() }) },
  responses: { ...jsonOk(z.union([z.array(memorySchema), memoryPageSchema]), 'Memories'), ...errorResponses },
});
