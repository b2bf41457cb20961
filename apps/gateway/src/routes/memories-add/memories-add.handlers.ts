import type { RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../app/app-env.js';
import { addMemories } from './add-memories.js';
import type { addV1Route, addV3Route } from './memories-add.routes.js';

/** `POST /v3/memories/add/`: answers synchronously with mem0's `infer: false` shape. */
export const addV3: RouteHandler<typeof addV3Route, AppEnv> = async (c) => {
  const outcome = await addMemories(c, c.req.valid('json'));
  return c.json({ status: 'SUCCEEDED' as const, event_id: outcome.eventId, message: outcome.message, results: outcome.results }, 200);
};

/** `POST /v1/memories/`: mem0's legacy add. */
export const addV1: RouteHandler<typeof addV1Route, AppEnv> = async (c) => {
  const body = c.req.valid('json');
  const outcome = await addMemories(c, body);
  return c.json(body.output_format === 'v1.1' ? { results: outcome.results, relations: [] } : outcome.results, 200);
};
