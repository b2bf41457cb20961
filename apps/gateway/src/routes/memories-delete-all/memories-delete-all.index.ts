import { createRouter } from '../../app/create-router.js';
import { deleteAll } from './memories-delete-all.handlers.js';
import { deleteAllRoute } from './memories-delete-all.routes.js';

/** Delete by entity. */
export const memoriesDeleteAllRouter = createRouter().openapi(deleteAllRoute, deleteAll);
