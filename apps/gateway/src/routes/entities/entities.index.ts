import { createRouter } from '../../app/create-router.js';
import { deleteEntity, listEntities } from './entities.handlers.js';
import { deleteEntityV1Route, deleteEntityV2Route, listEntitiesRoute } from './entities.routes.js';

/** Entities (users, agents, apps, runs). */
export const entitiesRouter = createRouter()
  .openapi(listEntitiesRoute, listEntities)
  .openapi(deleteEntityV2Route, deleteEntity)
  .openapi(deleteEntityV1Route, deleteEntity);
