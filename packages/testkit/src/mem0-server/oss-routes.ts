import { bodyObject, isObject, positiveInt, readMessages, scopeFrom, type Mem0WireContext, type Mem0WireRoute } from './mem0-wire-context.js';
import { parseWireFilter, searchWire, selectWire, WireFilterError } from './mem0-wire-query.js';
import { listEntities } from './list-entities.js';
import type { WireMemory } from './mem0-wire-store.js';
import { wireJson, type Mem0WireResponse } from './mem0-wire-types.js';

/** The OSS server has no app scope: `MemoryCreate` takes user, agent and run ids only. */
const ossScopeKeys = ['user_id', 'agent_id', 'run_id'] as const;

/** The OSS (Python `MemoryItem`) shape: promoted ids only when set. */
function presentOss(memory: WireMemory & { score?: number }): Record<string, unknown> {
  return {
    id: memory.id, memory: memory.memory, hash: memory.hash, metadata: memory.metadata, created_at: memory.created_at, updated_at: memory.updated_at,
    ...(memory.user_id !== undefined && { user_id: memory.user_id }),
    ...(memory.agent_id !== undefined && { agent_id: memory.agent_id }),
    ...(memory.run_id !== undefined && { run_id: memory.run_id }),
    ...(memory.score !== undefined && { score: memory.score }),
  };
}

const detail = (status: number, message: string): Mem0WireResponse => wireJson(status, { detail: message });

function add(context: Mem0WireContext): Mem0WireResponse {
  const body = bodyObject(context.request);
  const messages = readMessages(body);
  if (typeof messages === 'string') return detail(400, messages);
  const scope = scopeFrom(body, ossScopeKeys);
  if (Object.keys(scope).length === 0) return detail(400, 'At least one identifier (user_id, agent_id, run_id) is required.');
  if (body.metadata !== undefined && body.metadata !== null && !isObject(body.metadata)) return detail(400, 'metadata: must be an object');
  const metadata = isObject(body.metadata) ? body.metadata : {};
  const results = messages
    .filter((message) => message.role !== 'system')
    .map((message) => context.store.add({ ...scope, memory: message.content, metadata: structuredClone(metadata) }))
    .map((memory) => ({ ...presentOss(memory), event: 'ADD', actor_id: null, role: 'user' }));
  return wireJson(200, { results });
}

function list(context: Mem0WireContext): Mem0WireResponse {
  const { query } = context.request;
  const scope = scopeFrom(query, ossScopeKeys);
  const topK = Math.min(positiveInt(query.top_k, 100), 1000);
  const all = [...context.store.memories.values()].filter((memory) => ossScopeKeys.every((key) => scope[key] === undefined || memory[key] === scope[key]));
  all.sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id.localeCompare(a.id));
  return wireJson(200, { results: all.slice(0, topK).map(presentOss) });
}

function search(context: Mem0WireContext): Mem0WireResponse {
  const body = bodyObject(context.request);
  if (typeof body.query !== 'string' || body.query.length === 0) return detail(400, 'query: Field required');
  // Deprecated top-level ids are merged into the filters, as the server does.
  const filters = { ...(isObject(body.filters) ? body.filters : {}), ...scopeFrom(body, ossScopeKeys) };
  try {
    const selected = selectWire(context.store.memories.values(), parseWireFilter(filters, false));
    const threshold = typeof body.threshold === 'number' ? body.threshold : 0.1;
    return wireJson(200, { results: searchWire(selected, body.query, positiveInt(body.top_k, 20), threshold).map(presentOss) });
  } catch (error) {
    if (error instanceof WireFilterError) return detail(400, error.message);
    throw error;
  }
}

function update(context: Mem0WireContext, [id = '']: string[]): Mem0WireResponse {
  const body = bodyObject(context.request);
  const updated = context.store.update(id, {
    ...(typeof body.text === 'string' && { text: body.text }),
    ...(isObject(body.metadata) && { metadata: body.metadata }),
  });
  return updated ? wireJson(200, { message: 'Memory updated successfully!' }) : detail(404, 'Memory not found');
}

function deleteAll(context: Mem0WireContext): Mem0WireResponse {
  const scope = scopeFrom(context.request.query, ossScopeKeys);
  if (Object.keys(scope).length === 0) return detail(400, 'At least one identifier is required.');
  for (const memory of [...context.store.memories.values()]) {
    if (ossScopeKeys.every((key) => scope[key] === undefined || memory[key] === scope[key])) context.store.remove(memory.id);
  }
  return wireJson(200, { message: 'All relevant memories deleted' });
}

/** The self-hosted OSS REST server's routes: flat paths, no trailing slashes. */
export const ossRoutes: Mem0WireRoute[] = [
  { method: 'POST', pattern: /^\/memories$/, handle: add },
  { method: 'GET', pattern: /^\/memories$/, handle: list },
  { method: 'DELETE', pattern: /^\/memories$/, handle: deleteAll },
  { method: 'POST', pattern: /^\/search$/, handle: search },
  { method: 'GET', pattern: /^\/memories\/([^/]+)\/history$/, handle: (context, [id = '']) => wireJson(200, context.store.history.get(id) ?? []) },
  { method: 'GET', pattern: /^\/memories\/([^/]+)$/, handle: (context, [id = '']) => {
    const memory = context.store.memories.get(id);
    return wireJson(200, memory ? presentOss(memory) : null);
  } },
  { method: 'PUT', pattern: /^\/memories\/([^/]+)$/, handle: update },
  { method: 'DELETE', pattern: /^\/memories\/([^/]+)$/, handle: (context, [id = '']) =>
    context.store.remove(id) ? wireJson(200, { message: 'Memory deleted successfully' }) : detail(404, 'Memory not found') },
  { method: 'POST', pattern: /^\/reset$/, handle: (context) => (context.store.clear(), wireJson(200, { message: 'All memories reset' })) },
  { method: 'GET', pattern: /^\/entities$/, handle: (context) =>
    wireJson(200, listEntities(context.store.memories.values()).filter((entity) => entity.type !== 'app')
      .map(({ id, type, total_memories, created_at, updated_at }) => ({ id, type, total_memories, created_at, updated_at }))) },
  { method: 'DELETE', pattern: /^\/entities\/(user|agent|run)\/([^/]+)$/, handle: (context, [type = '', name = '']) => {
    const key = `${type}_id` as 'user_id' | 'agent_id' | 'run_id';
    for (const memory of [...context.store.memories.values()]) if (memory[key] === name) context.store.remove(memory.id);
    return wireJson(200, { message: 'Entity deleted' });
  } },
];
