import { generateMemoryId, type JsonValue, type MemoryScope } from '@memgate/core';
import type { Context } from 'hono';
import type { AppEnv } from '../app/app-env.js';
import { callOptions } from './call-options.js';

/**
 * Deletes every memory of a scope through the provider and records a DELETE event, so the
 * `event_id` mem0 clients expect from their (asynchronous upstream) delete-all can be looked up.
 */
export async function deleteScope(c: Context<AppEnv>, scope: MemoryScope): Promise<{ eventId: string; deleted: number }> {
  const startedAt = new Date().toISOString();
  const { deleted } = await c.var.memory.deleteAll(scope, callOptions(c));
  const eventId = generateMemoryId();
  await c.var.events.save({
    id: eventId,
    type: 'DELETE',
    status: 'SUCCEEDED',
    payload: scope as JsonValue,
    results: [{ deleted_count: deleted }],
    startedAt,
    completedAt: new Date().toISOString(),
    owner: c.var.principal?.id ?? 'anonymous',
  });
  return { eventId, deleted };
}
