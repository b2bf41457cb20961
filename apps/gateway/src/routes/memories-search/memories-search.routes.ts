import { createRoute, z } from '@hono/zod-openapi';
import { entityIdsShape, errorResponses, jsonBody, jsonOk, keyed, memorySchema, metadataSchema } from '../../mem0/mem0-schemas.js';

const searchFields = {
  query: z.string().min(1),
  filters: z.record(z.string(), z.unknown()).nullish(),
  top_k: z.number().int().min(1).max(1000).nullish(),
  threshold: z.number().min(0).max(1).nullish(),
  output_format: z.string().nullish(),
};

/** The v3/v2 search body: entity ids go inside `filters`. */
export const searchBodySchema = z.looseObject({ ...searchFields, ...entityIdsShape }).openapi('SearchMemories');

/** The v1 search body: entity ids at the top level, optionally `filters` and `metadata` too. */
export const searchV1BodySchema = z.looseObject({ ...searchFields, ...entityIdsShape, metadata: metadataSchema.nullish() }).openapi('SearchMemoriesV1');

const resultsSchema = z.object({ results: z.array(memorySchema) }).openapi('SearchResults');

/** `POST /v3/memories/search/`. */
export const searchV3Route = createRoute({
  method: 'post',
  path: '/v3/memories/search',
  tags: ['mem0'],
  summary: 'Search memories; `filters` (mem0 v2 grammar) must name an entity',
  security: keyed,
  request: { body: jsonBody(searchBodySchema) },
  responses: { ...jsonOk(resultsSchema, 'Best matches first'), ...errorResponses },
});

/** `POST /v2/memories/search/` (mem0ai 2.x with `api_version: "v2"`): a bare array unless `output_format: "v1.1"`. */
export const searchV2Route = createRoute({
  method: 'post',
  path: '/v2/memories/search',
  tags: ['mem0 (legacy)'],
  summary: 'Search memories (v2)',
  security: keyed,
  request: { body: jsonBody(searchBodySchema) },
  responses: { ...jsonOk(z.union([z.array(memorySchema), resultsSchema]), 'Best matches first'), ...errorResponses },
});

/** `POST /v1/memories/search/` (mem0ai 2.x): entity ids at the top level. */
export const searchV1Route = createRoute({
  method: 'post',
  path: '/v1/memories/search',
  tags: ['mem0 (legacy)'],
  summary: 'Search memories (v1)',
  security: keyed,
  request: { body: jsonBody(searchV1BodySchema) },
  responses: { ...jsonOk(z.union([z.array(memorySchema), resultsSchema]), 'Best matches first'), ...errorResponses },
});
