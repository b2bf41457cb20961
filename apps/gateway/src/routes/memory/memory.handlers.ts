import type { RouteHandler } from '@hono/zod-openapi';
import { type MemoryMetadata, NotFoundError, ValidationError } from '@memgate/core';
import type { AppEnv } from '../../app/app-env.js';
import { callOptions } from '../../mem0/call-options.js';
import { memoryNotFound } from '../../mem0/memory-not-found.js';
import { readMemoryId } from '../../mem0/read-memory-id.js';
import { toMem0HistoryEntry, toMem0Memory } from '../../mem0/to-mem0-memory.js';
import type { deleteMemoryRoute, getMemoryRoute, memoryHistoryRoute, updateMemoryRoute } from './memory.routes.js';

/** `GET /v1/memories/{memory_id}/`. */
export const getMemory: RouteHandler<typeof getMemoryRoute, AppEnv> = async (c) => {
  const id = readMemoryId(c.req.valid('param').memory_id);
  const record = await c.var.memory.get(id, callOptions(c));
  if (!record) throw memoryNotFound(id);
  return c.json(toMem0Memory(record), 200);
};

/** `PUT /v1/memories/{memory_id}/`: `text` and/or `metadata`; `timestamp` (epoch seconds) dates the change. */
export const updateMemory: RouteHandler<typeof updateMemoryRoute, AppEnv> = async (c) => {
  const id = readMemoryId(c.req.valid('param').memory_id);
  const body = c.req.valid('json');
  if (body.text == null && body.metadata == null) throw new ValidationError({ field: 'text', message: 'text: an update needs text or metadata' });
  const updatedAt = body.timestamp == null ? undefined : new Date(typeof body.timestamp === 'number' ? body.timestamp * 1000 : body.timestamp);
  if (updatedAt && Number.isNaN(updatedAt.getTime())) throw new ValidationError({ field: 'timestamp', message: 'timestamp: must be epoch seconds or an ISO 8601 date-time' });
  const record = await c.var.memory
    .update(
      id,
      { ...(body.text == null ? {} : { memory: body.text }), ...(body.metadata == null ? {} : { metadata: body.metadata as MemoryMetadata }), ...(updatedAt ? { updatedAt: updatedAt.toISOString() } : {}) },
      callOptions(c),
    )
    .catch(rethrowNotFound(id));
  return c.json(toMem0Memory(record), 200);
};

/** `DELETE /v1/memories/{memory_id}/`. */
export const deleteMemory: RouteHandler<typeof deleteMemoryRoute, AppEnv> = async (c) => {
  const id = readMemoryId(c.req.valid('param').memory_id);
  await c.var.memory.delete(id, callOptions(c)).catch(rethrowNotFound(id));
  return c.json({ message: 'Memory deleted successfully!' }, 200);
};

/** `GET /v1/memories/{memory_id}/history/`: 404 when the id never existed. */
export const memoryHistory: RouteHandler<typeof memoryHistoryRoute, AppEnv> = async (c) => {
  const id = readMemoryId(c.req.valid('param').memory_id);
  const events = await c.var.memory.history(id, callOptions(c)).catch(rethrowNotFound(id));
  if (events.length === 0 && !(await c.var.memory.get(id, callOptions(c)))) throw memoryNotFound(id);
  return c.json(events.map(toMem0HistoryEntry), 200);
};

/** Gives a provider's NotFoundError mem0's message. */
function rethrowNotFound(id: string) {
  return (error: unknown): never => {
    throw NotFoundError.isInstance(error) ? memoryNotFound(id) : error;
  };
}
