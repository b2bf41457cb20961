import type { RouteHandler } from '@hono/zod-openapi';
import { hasScope, ValidationError } from '@memgate/core';
import type { AppEnv } from '../../app/app-env.js';
import { deleteScope } from '../../mem0/delete-scope.js';
import { mem0EntityKeys, readEntityScope } from '../../mem0/read-entity-scope.js';
import type { deleteAllRoute } from './memories-delete-all.routes.js';

/** `DELETE /v1/memories/`: needs at least one entity id; mem0's `*` wildcard is refused rather than guessed. */
export const deleteAll: RouteHandler<typeof deleteAllRoute, AppEnv> = async (c) => {
  const query = c.req.valid('query');
  const wildcard = mem0EntityKeys.find((key) => query[key] === '*');
  if (wildcard) throw new ValidationError({ field: wildcard, message: `${wildcard}: the "*" wildcard is not supported by memgate; name the entity` });
  const scope = readEntityScope(query);
  if (!hasScope(scope)) throw new ValidationError({ field: 'user_id', message: 'user_id: at least one of user_id, agent_id, app_id or run_id is required' });
  const { eventId, deleted } = await deleteScope(c, scope);
  return c.json({ message: 'Memories deleted successfully!', event_id: eventId, deleted_count: deleted }, 200);
};
