import { bodyObject, isObject, positiveInt, readMessages, scopeFrom, type Mem0WireContext, type Mem0WireRoute } from './mem0-wire-context.js';
import { pageWire, parseWireFilter, searchWire, selectWire, WireFilterError } from './mem0-wire-query.js';
import { wireScopeKeys, type WireMemory } from './mem0-wire-store.js';
import { wireJson, type Mem0WireResponse } from './mem0-wire-types.js';
import { presentPlatformMemory, presentSearchHit } from './present-platform-memory.js';

const addError = (message: string): Mem0WireResponse => wireJson(400, { error: 'Invalid request', details: { message } });

/** Validates an add body and returns the work that stores it, or a 400. */
function prepareAdd(context: Mem0WireContext): Mem0WireResponse | (() => { id: string; data: { memory: string }; event: 'ADD' }[]) {
  const body = bodyObject(context.request);
  const messages = readMessages(body);
  if (typeof messages === 'string') return addError(messages);
  const scope = scopeFrom(body);
  if (Object.keys(scope).length === 0) return addError('At least one of user_id, agent_id, app_id or run_id is required');
  if (body.metadata !== undefined && body.metadata !== null && !isObject(body.metadata)) return addError('metadata: must be an object');
  if (body.timestamp !== undefined && typeof body.timestamp !== 'number') return addError('timestamp: must be epoch seconds');
  const createdAt = typeof body.timestamp === 'number' ? new Date(body.timestamp * 1000).toISOString() : undefined;
  const metadata = isObject(body.metadata) ? body.metadata : {};
  // infer:false stores each non-system message verbatim; without an LLM, inference does the same.
  return () =>
    messages
      .filter((message) => message.role !== 'system')
      .map((message) => context.store.add({ ...scope, memory: message.content, metadata: structuredClone(metadata), ...(createdAt && { createdAt }) }))
      .map((memory) => ({ id: memory.id, data: { memory: memory.memory }, event: 'ADD' as const }));
}

function addV3(context: Mem0WireContext): Mem0WireResponse {
  const work = prepareAdd(context);
  if (typeof work !== 'function') return work;
  const body = bodyObject(context.request);
  const event = context.events.start('ADD', body, work);
  if (body.infer === false && !context.faults.asyncAdds && event.status === 'SUCCEEDED') {
    return wireJson(200, { status: 'SUCCEEDED', event_id: event.id, message: 'Memories added', results: event.results });
  }
  return wireJson(200, { event_id: event.id, status: 'PENDING' });
}

function addV1(context: Mem0WireContext): Mem0WireResponse {
  const work = prepareAdd(context);
  if (typeof work !== 'function') return work;
  const body = bodyObject(context.request);
  if (body.async_mode === false) {
    const results = work().map((item) => ({ id: item.id, memory: item.data.memory, event: item.event }));
    return wireJson(200, body.output_format === 'v1.1' ? { results, relations: [] } : results);
  }
  const event = context.events.start('ADD', body, work);
  return wireJson(200, [{ message: 'Memory processing has been queued for background execution', status: 'PENDING', event_id: event.id }]);
}

/** Runs a filtered read, turning filter problems into mem0's `{message}` 400. */
function withFilter(filters: unknown, run: (selected: WireMemory[]) => Mem0WireResponse, context: Mem0WireContext): Mem0WireResponse {
  try {
    return run(selectWire(context.store.memories.values(), parseWireFilter(filters)));
  } catch (error) {
    if (error instanceof WireFilterError) return wireJson(400, { message: error.message });
    throw error;
  }
}

function search(version: 1 | 2 | 3) {
  return (context: Mem0WireContext): Mem0WireResponse => {
    const body = bodyObject(context.request);
    if (typeof body.query !== 'string' || body.query.length === 0) return wireJson(400, { message: 'query: This field is required.' });
    const topLevel = wireScopeKeys.filter((key) => body[key] !== undefined);
    if (version === 3 && topLevel.length > 0) return wireJson(400, { message: `Top-level entity parameters ${topLevel.join(', ')} are not supported; use filters` });
    const filters = version === 1 ? { ...scopeFrom(body), ...(isObject(body.metadata) && { metadata: body.metadata }) } : body.filters;
    const topK = positiveInt(body.top_k, 10);
    const threshold = typeof body.threshold === 'number' ? body.threshold : version === 2 ? 0.3 : 0.1;
    return withFilter(filters, (selected) => {
      const hits = searchWire(selected, body.query as string, topK, threshold).map(presentSearchHit);
      if (version === 3) return wireJson(200, { results: hits });
      if (version === 2) return wireJson(200, hits.map(({ run_id, ...hit }) => ({ ...hit, session_id: run_id })));
      return wireJson(200, body.output_format === 'v1.1' ? { results: hits, relations: [] } : hits);
    }, context);
  };
}

function getAll(version: 2 | 3) {
  return (context: Mem0WireContext): Mem0WireResponse => {
    const body = bodyObject(context.request);
    const { query } = context.request;
    const page = positiveInt(query.page ?? body.page, 1);
    const pageSize = positiveInt(query.page_size ?? body.page_size, 100);
    if (pageSize > 200) return wireJson(400, { message: 'page_size: must be at most 200' });
    return withFilter(body.filters, (selected) => {
      const paged = pageWire(selected.map(presentPlatformMemory), page, pageSize, `${context.url}${context.request.path}`);
      return wireJson(200, version === 2 && query.page === undefined ? paged.results : paged);
    }, context);
  };
}

function listV1(context: Mem0WireContext): Mem0WireResponse {
  const { query } = context.request;
  let metadata: unknown;
  try {
    metadata = query.metadata === undefined ? undefined : JSON.parse(query.metadata);
  } catch {
    return wireJson(400, { message: 'metadata: must be JSON' });
  }
  const filters = { ...scopeFrom(query), ...(isObject(metadata) && { metadata }) };
  return withFilter(filters, (selected) => {
    const items = selected.map(presentPlatformMemory);
    if (query.page !== undefined && query.page_size !== undefined) {
      return wireJson(200, pageWire(items, positiveInt(query.page, 1), positiveInt(query.page_size, 100), `${context.url}${context.request.path}`));
    }
    return wireJson(200, items.slice(0, Math.min(positiveInt(query.limit, 100), 200)));
  }, context);
}

/** Platform add, search and listing routes (v1, v2, v3). */
export const platformMemoryRoutes: Mem0WireRoute[] = [
  { method: 'POST', pattern: /^\/v3\/memories\/add\/$/, handle: addV3 },
  { method: 'POST', pattern: /^\/v1\/memories\/$/, handle: addV1 },
  { method: 'POST', pattern: /^\/v3\/memories\/search\/$/, handle: search(3) },
  { method: 'POST', pattern: /^\/v2\/memories\/search\/$/, handle: search(2) },
  { method: 'POST', pattern: /^\/v1\/memories\/search\/$/, handle: search(1) },
  { method: 'POST', pattern: /^\/v3\/memories\/$/, handle: getAll(3) },
  { method: 'POST', pattern: /^\/v2\/memories\/$/, handle: getAll(2) },
  { method: 'GET', pattern: /^\/v1\/memories\/$/, handle: listV1 },
];
