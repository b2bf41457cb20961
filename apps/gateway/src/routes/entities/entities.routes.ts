import { createRoute, z } from '@hono/zod-openapi';
import { errorResponses, jsonOk, keyed, pageQuerySchema } from '../../mem0/mem0-schemas.js';
import { deleteResultSchema } from '../memories-delete-all/memories-delete-all.routes.js';

const entitySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    type: z.enum(['user', 'agent', 'app', 'run']),
    owner: z.string(),
    metadata: z.record(z.string(), z.unknown()),
    total_memories: z.number().int(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('Entity');

const entityPageSchema = z
  .object({
    count: z.number().int(),
    next: z.string().nullable(),
    previous: z.string().nullable(),
    results: z.array(entitySchema),
    total_users: z.number().int(),
    total_agents: z.number().int(),
    total_apps: z.number().int(),
    total_runs: z.number().int(),
  })
  .openapi('EntityPage');

const entityParams = z.object({
  entity_type: z.string().openapi({ param: { name: 'entity_type', in: 'path' }, example: 'user' }),
  entity_id: z.string().min(1).openapi({ param: { name: 'entity_id', in: 'path' } }),
});

/** `GET /v1/entities/`. */
export const listEntitiesRoute = createRoute({
  method: 'get',
  path: '/v1/entities',
  tags: ['mem0'],
  summary: 'The users, agents, apps and runs that own memories',
  security: keyed,
  request: { query: pageQuerySchema },
  responses: { ...jsonOk(entityPageSchema, 'One page of entities'), ...errorResponses },
});

/** `DELETE /v2/entities/{entity_type}/{entity_id}/`. */
export const deleteEntityV2Route = createRoute({
  method: 'delete',
  path: '/v2/entities/{entity_type}/{entity_id}',
  tags: ['mem0'],
  summary: 'Delete an entity and all its memories',
  security: keyed,
  request: { params: entityParams },
  responses: { ...jsonOk(deleteResultSchema, 'Deleted'), ...errorResponses },
});

/** `DELETE /v1/entities/{entity_type}/{entity_id}/` (deprecated in mem0, still called by `deleteUser`). */
export const deleteEntityV1Route = createRoute({ ...deleteEntityV2Route, path: '/v1/entities/{entity_type}/{entity_id}', tags: ['mem0 (legacy)'] });
