import { createRouter } from '../../app/create-router.js';
import { batchDelete, batchUpdate } from './batch.handlers.js';
import { batchDeleteRoute, batchUpdateRoute } from './batch.routes.js';

/** Batch update and delete. */
export const batchRouter = createRouter().openapi(batchUpdateRoute, batchUpdate).openapi(batchDeleteRoute, batchDelete);
