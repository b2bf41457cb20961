import type { RouteHandler } from '@hono/zod-openapi';
import { ValidationError } from '@memgate/core';
import type { AppEnv } from '../../app/app-env.js';
import { callOptions } from '../../mem0/call-options.js';
import { collectEntities, type EntityType, entityTypes } from '../../mem0/collect-entities.js';
import { deleteScope } from '../../mem0/delete-scope.js';
import { pageLinks } from '../../mem0/page-links.js';
import type { deleteEntityV1Route, deleteEntityV2Route, listEntitiesRoute } from './entities.routes.js';

/** `GET /v1/entities/`: one page (default 100) of entities, with totals per type. */
export const listEntities: RouteHandler<typeof listEntitiesRoute, AppEnv> = async (c) => {
  const { page = 1, page_size: pageSize = 100 } = c.req.valid('query');
  const entities = await collectEntities(c.var.memory, callOptions(c));
  const count = (type: EntityType): number => entities.filter((entity) => entity.type === type).length;
  return c.json(
    {
      ...pageLinks(c.req.url, page, pageSize, entities.length),
      results: entities.slice((page - 1) * pageSize, page * pageSize),
      total_users: count('user'),
      total_agents: count('agent'),
      total_apps: count('app'),
      total_runs: count('run'),
    },
    200,
  );
};

/** `DELETE /v{1,2}/entities/{entity_type}/{entity_id}/`: deletes the entity's memories. */
export const deleteEntity: RouteHandler<typeof deleteEntityV2Route | typeof deleteEntityV1Route, AppEnv> = async (c) => {
  const { entity_type: type, entity_id: id } = c.req.valid('param');
  if (!(type in entityTypes)) throw new ValidationError({ field: 'entity_type', message: `entity_type: must be one of ${Object.keys(entityTypes).join(', ')}` });
  const { eventId, deleted } = await deleteScope(c, { [entityTypes[type as EntityType]]: id });
  return c.json({ message: 'Entity deleted successfully!', event_id: eventId, deleted_count: deleted }, 200);
};
