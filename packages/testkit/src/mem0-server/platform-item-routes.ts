import { isUuid } from '@memgate/core';
import { bodyObject, isObject, positiveInt, scopeFrom, type Mem0WireContext, type Mem0WireRoute } from './mem0-wire-context.js';
import { pageWire } from './mem0-wire-query.js';
import { wireScopeKeys, type WireMemory, type WireScope } from './mem0-wire-store.js';
import { wireJson, type Mem0WireResponse } from './mem0-wire-types.js';
import { listEntities, type WireEntity } from './list-entities.js';
import { presentPlatformMemory } from './present-platform-memory.js';

const badId = wireJson(400, { error: 'memory_id should be a valid UUID' });
const missing = wireJson(404, { error: 'Memory not found!' });
const entityTypes: Record<string, keyof WireScope> = { user: 'user_id', agent: 'agent_id', app: 'app_id', run: 'run_id' };

/** Looks a memory up by the path's id, or answers mem0's 400/404. */
function found(context: Mem0WireContext, id: string): WireMemory | Mem0WireResponse {
  if (!isUuid(id)) return badId;
  return context.store.memories.get(id) ?? missing;
}

function update(context: Mem0WireContext, [id = '']: string[]): Mem0WireResponse {
  const memory = found(context, id);
  if ('status' in memory) return memory;
  const body = bodyObject(context.request);
  if (body.text !== undefined && (typeof body.text !== 'string' || body.text.length === 0)) return wireJson(400, { error: 'text: must be a non-empty string' });
  if (body.metadata !== undefined && body.metadata !== null && !isObject(body.metadata)) return wireJson(400, { error: 'metadata: must be an object' });
  const updated = context.store.update(id, {
    ...(typeof body.text === 'string' && { text: body.text }),
    ...(isObject(body.metadata) && { metadata: body.metadata }),
    ...(body.expiration_date !== undefined && { expiration_date: body.expiration_date as string | null }),
  });
  return wireJson(200, presentPlatformMemory(updated!));
}

function deleteAll(context: Mem0WireContext): Mem0WireResponse {
  const { query } = context.request;
  const scope = scopeFrom(query);
  if (Object.keys(scope).length === 0) return wireJson(400, { error: 'At least one filter (user_id, agent_id, app_id, run_id) is required' });
  // `*` matches any memory that has the field at all.
  const doomed = (memory: WireMemory): boolean =>
    wireScopeKeys.every((key) => scope[key] === undefined || (scope[key] === '*' ? memory[key] !== undefined : memory[key] === scope[key]));
  const event = context.events.start('DELETE', query, () =>
    [...context.store.memories.values()].filter(doomed).map((memory) => (context.store.remove(memory.id), { id: memory.id, event: 'DELETE' })),
  );
  return wireJson(200, { message: 'Delete in progress. This may take some time.', event_id: event.id });
}

function batch(kind: 'update' | 'delete') {
  return (context: Mem0WireContext): Mem0WireResponse => {
    const { memories } = bodyObject(context.request);
    if (!Array.isArray(memories) || memories.length === 0 || memories.length > 1000) return wireJson(400, { error: 'memories: must hold 1 to 1000 items' });
    const items = memories.filter(isObject);
    const bad = items.length !== memories.length ? 'not an object' : items.find((item) => typeof item.memory_id !== 'string' || !context.store.memories.has(item.memory_id));
    if (bad) return wireJson(400, { error: `memories: unknown or invalid memory_id ${isObject(bad) ? String(bad.memory_id) : ''}`.trim() });
    for (const item of items) {
      const id = item.memory_id as string;
      if (kind === 'delete') context.store.remove(id);
      else context.store.update(id, { ...(typeof item.text === 'string' && { text: item.text }), ...(isObject(item.metadata) && { metadata: item.metadata }) });
    }
    return wireJson(200, { message: `Successfully ${kind === 'delete' ? 'deleted' : 'updated'} ${items.length} memories` });
  };
}

function entities(context: Mem0WireContext): Mem0WireResponse {
  const list = listEntities(context.store.memories.values());
  const count = (type: WireEntity['type']): number => list.filter((entity) => entity.type === type).length;
  const { query } = context.request;
  const paged = pageWire(list, positiveInt(query.page, 1), positiveInt(query.page_size, 100), `${context.url}${context.request.path}`);
  return wireJson(200, { ...paged, total_users: count('user'), total_agents: count('agent'), total_apps: count('app'), total_runs: count('run') });
}

function deleteEntity(context: Mem0WireContext, [type = '', name = '']: string[]): Mem0WireResponse {
  const key = entityTypes[type];
  if (!key) return wireJson(400, { error: 'entity type must be user, agent, app or run' });
  const event = context.events.start('DELETE', { type, name }, () =>
    [...context.store.memories.values()].filter((memory) => memory[key] === name).map((memory) => (context.store.remove(memory.id), { id: memory.id, event: 'DELETE' })),
  );
  return wireJson(200, { message: 'Entity deletion in progress.', event_id: event.id });
}

const uuidish = '([^/]+)';

/** Platform routes for one memory, deletes, batches, entities, events and ping. */
export const platformItemRoutes: Mem0WireRoute[] = [
  { method: 'GET', pattern: /^\/v1\/ping\/$/, handle: () => wireJson(200, { status: 'ok', org_id: 'org_wire', project_id: 'proj_wire', user_email: 'wire@example.com' }) },
  { method: 'GET', pattern: new RegExp(`^/v1/memories/${uuidish}/history/$`), handle: (context, [id = '']) => {
    if (!isUuid(id)) return badId;
    const entries = context.store.history.get(id);
    return entries ? wireJson(200, entries) : missing;
  } },
  { method: 'GET', pattern: new RegExp(`^/v1/memories/${uuidish}/$`), handle: (context, [id = '']) => {
    const memory = found(context, id);
    return 'status' in memory ? memory : wireJson(200, presentPlatformMemory(memory));
  } },
  { method: 'PUT', pattern: new RegExp(`^/v1/memories/${uuidish}/$`), handle: update },
  { method: 'DELETE', pattern: new RegExp(`^/v1/memories/${uuidish}/$`), handle: (context, [id = '']) => {
    const memory = found(context, id);
    if ('status' in memory) return memory;
    context.store.remove(id);
    return wireJson(200, { message: 'Memory deleted successfully!' });
  } },
  { method: 'DELETE', pattern: /^\/v1\/memories\/$/, handle: deleteAll },
  { method: 'PUT', pattern: /^\/v1\/batch\/$/, handle: batch('update') },
  { method: 'DELETE', pattern: /^\/v1\/batch\/$/, handle: batch('delete') },
  { method: 'GET', pattern: /^\/v1\/entities\/$/, handle: entities },
  { method: 'DELETE', pattern: /^\/v[12]\/entities\/([^/]+)\/([^/]+)\/$/, handle: deleteEntity },
  { method: 'GET', pattern: /^\/v1\/event\/([^/]+)\/$/, handle: (context, [id = '']) => {
    const event = context.events.events.get(id);
    return event ? wireJson(200, event) : wireJson(404, { error: 'Event not found' });
  } },
  { method: 'GET', pattern: /^\/v1\/events\/$/, handle: (context) => {
    const all = [...context.events.events.values()].reverse();
    const { query } = context.request;
    return wireJson(200, pageWire(all, positiveInt(query.page, 1), positiveInt(query.page_size, 50), `${context.url}${context.request.path}`));
  } },
];
