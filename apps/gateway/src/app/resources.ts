import type { OpenAPIHono } from '@hono/zod-openapi';
import { batchRouter } from '../routes/batch/batch.index.js';
import { entitiesRouter } from '../routes/entities/entities.index.js';
import { eventsRouter } from '../routes/events/events.index.js';
import { memoriesAddRouter } from '../routes/memories-add/memories-add.index.js';
import { memoriesDeleteAllRouter } from '../routes/memories-delete-all/memories-delete-all.index.js';
import { memoriesListRouter } from '../routes/memories-list/memories-list.index.js';
import { memoriesSearchRouter } from '../routes/memories-search/memories-search.index.js';
import { memoryRouter } from '../routes/memory/memory.index.js';
import { pingRouter } from '../routes/ping/ping.index.js';
import type { AppEnv } from './app-env.js';

/**
 * The keyed resource routers, mounted at `/` in this order. A new resource folder plugs in with one
 * line here. The health routes and the 501 catch-alls are mounted by `createApp` around these.
 */
export const resources: ReadonlyArray<OpenAPIHono<AppEnv, any, any>> = [
  pingRouter,
  memoriesAddRouter,
  memoriesSearchRouter,
  memoriesListRouter,
  memoriesDeleteAllRouter,
  memoryRouter,
  eventsRouter,
  entitiesRouter,
  batchRouter,
];
