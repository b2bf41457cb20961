import { createRoute, z } from '@hono/zod-openapi';
import { errorResponses, jsonOk, keyed } from '../../mem0/mem0-schemas.js';

/** `GET /v1/ping/`: the key check every mem0 client makes first. */
export const pingRoute = createRoute({
  method: 'get',
  path: '/v1/ping',
  tags: ['mem0'],
  summary: 'Check the API key',
  security: keyed,
  responses: {
    ...jsonOk(
      z.object({ status: z.literal('ok'), org_id: z.string(), project_id: z.string(), user_email: z.string() }).openapi('Ping'),
      'The key is valid',
    ),
    401: errorResponses[401],
  },
});
