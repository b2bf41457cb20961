import { createRouter } from '../../app/create-router.js';
import { deleteMemory, getMemory, memoryHistory, updateMemory } from './memory.handlers.js';
import { deleteMemoryRoute, getMemoryRoute, memoryHistoryRoute, updateMemoryRoute } from './memory.routes.js';

/** One memory by id: get, update, delete, history. */
export const memoryRouter = createRouter()
  .openapi(getMemoryRoute, getMemory)
  .openapi(updateMemoryRoute, updateMemory)
  .openapi(deleteMemoryRoute, deleteMemory)
  .openapi(memoryHistoryRoute, memoryHistory);
