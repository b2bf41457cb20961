import { createRouter } from '../../app/create-router.js';

/**
 * mem0 Platform routes memgate does not serve. They answer 501 with a message naming the route,
 * so a mem0 client fails with a clear error instead of a 404 that looks like a wrong URL.
 */
export const unsupportedPaths: readonly string[] = [
  '/v1/exports',
  '/v1/feedback',
  '/v1/summary',
  '/v1/events',
  '/v1/stats',
  '/v1/entities/filters',
  '/v2/entities/:entity_type/:entity_id',
  '/v1/users',
  '/v1/agents',
  '/v1/apps',
  '/v1/runs',
  '/v2/profiles',
  '/api/v1',
];

/** 501 for every path under {@link unsupportedPaths}. */
export const unsupportedRouter = createRouter();
for (const path of unsupportedPaths) {
  for (const pattern of [path, `${path}/*`]) {
    unsupportedRouter.all(pattern, (c) =>
      c.json({ error: `${c.req.method} ${c.req.path} is a mem0 Platform route that memgate does not serve.` }, 501),
    );
  }
}
