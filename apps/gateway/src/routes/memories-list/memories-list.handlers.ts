import type { RouteHandler } from '@hono/zod-openapi';
import { andFilters, hasScope, scopeFilter, ValidationError } from '@memgate/core';
import type { AppEnv } from '../../app/app-env.js';
import { metadataFilter } from '../../mem0/metadata-filter.js';
import { parseMem0Filters } from '../../mem0/parse-mem0-filters.js';
import { readEntityScope } from '../../mem0/read-entity-scope.js';
import { defaultPageSize, listMemories } from './list-memories.js';
import type { listV1Route, listV2Route, listV3Route } from './memories-list.routes.js';

/** `POST /v3/memories/`. */
export const listV3: RouteHandler<typeof listV3Route, AppEnv> = async (c) => {
  const query = c.req.valid('query');
  const body = c.req.valid('json');
  const page = await listMemories(c, parseMem0Filters(body.filters), query.page ?? body.page ?? 1, query.page_size ?? body.page_size ?? defaultPageSize);
  return c.json(page, 200);
};

/** `POST /v2/memories/`. */
export const listV2: RouteHandler<typeof listV2Route, AppEnv> = async (c) => {
  const query = c.req.valid('query');
  const body = c.req.valid('json');
  const paged = query.page !== undefined || query.page_size !== undefined;
  const page = await listMemories(c, parseMem0Filters(body.filters), query.page ?? body.page ?? 1, query.page_size ?? body.page_size ?? defaultPageSize);
  return c.json(paged ? page : page.results, 200);
};

/** `GET /v1/memories/`: entity ids (and optionally `metadata` as JSON) in the query. */
export const listV1: RouteHandler<typeof listV1Route, AppEnv> = async (c) => {
  const query = c.req.valid('query');
  const scope = readEntityScope(query);
  if (!hasScope(scope)) throw new ValidationError({ field: 'user_id', message: 'user_id: one of user_id, agent_id, app_id or run_id is required' });
  const filter = query.metadata ? andFilters(scopeFilter(scope), metadataFilter(query.metadata)) : scopeFilter(scope);
  const paged = query.page !== undefined && query.page_size !== undefined;
  const page = await listMemories(c, filter, query.page ?? 1, query.page_size ?? defaultPageSize);
  return c.json(paged ? page : page.results, 200);
};
