import type { RouteHandler } from '@hono/zod-openapi';
import { andFilters, hasScope, parseMemoryFilter, scopeFilter, ValidationError } from '@memgate/core';
import type { AppEnv } from '../../app/app-env.js';
import { metadataFilter } from '../../mem0/metadata-filter.js';
import { parseMem0Filters } from '../../mem0/parse-mem0-filters.js';
import { presentEntityKeys, readEntityScope } from '../../mem0/read-entity-scope.js';
import type { searchV1Route, searchV2Route, searchV3Route } from './memories-search.routes.js';
import { searchMemories } from './search-memories.js';

function rejectTopLevelEntities(body: Record<string, unknown>): void {
  const keys = presentEntityKeys(body);
  if (keys.length > 0) {
    throw new ValidationError({
      field: keys[0],
      message: `${keys[0]}: top-level entity parameters [${keys.join(', ')}] are not supported here; put them in filters, e.g. {"filters": {"user_id": "..."}}`,
    });
  }
}

/** `POST /v3/memories/search/`. */
export const searchV3: RouteHandler<typeof searchV3Route, AppEnv> = async (c) => {
  const body = c.req.valid('json');
  rejectTopLevelEntities(body);
  const results = await searchMemories(c, body, parseMem0Filters(body.filters));
  return c.json({ results }, 200);
};

/** `POST /v2/memories/search/`. */
export const searchV2: RouteHandler<typeof searchV2Route, AppEnv> = async (c) => {
  const body = c.req.valid('json');
  rejectTopLevelEntities(body);
  const results = await searchMemories(c, body, parseMem0Filters(body.filters));
  return c.json(body.output_format === 'v1.1' ? { results } : results, 200);
};

/** `POST /v1/memories/search/`: top-level ids AND-ed with optional `filters` and `metadata`. */
export const searchV1: RouteHandler<typeof searchV1Route, AppEnv> = async (c) => {
  const body = c.req.valid('json');
  const scope = readEntityScope(body);
  const parts = [scopeFilter(scope)];
  if (body.filters) parts.push(hasScope(scope) ? parseMemoryFilter(body.filters) : parseMem0Filters(body.filters));
  else if (!hasScope(scope)) parseMem0Filters(undefined);
  if (body.metadata) parts.push(metadataFilter(body.metadata));
  const results = await searchMemories(c, body, andFilters(...parts));
  return c.json(body.output_format === 'v1.1' ? { results } : results, 200);
};
