import type { RouteHandler } from '@hono/zod-openapi';
import { type MemoryMetadata, ValidationError } from '@memgate/core';
import type { Context } from 'hono';
import type { AppEnv } from '../../app/app-env.js';
import { callOptions } from '../../mem0/call-options.js';
import { memoryNotFound } from '../../mem0/memory-not-found.js';
import { readMemoryId } from '../../mem0/read-memory-id.js';
import type { batchDeleteRoute, batchUpdateRoute } from './batch.routes.js';

/**
 * Checks every id before touching any memory, so a typo or an unknown id fails the whole batch
 * with a 400/404 naming it instead of applying half of it.
 */
async function checkBatch(c: Context<AppEnv>, items: readonly { memory_id: string }[]): Promise<string[]> {
  const ids = items.map((item, index) => readMemoryId(item.memory_id, `memories[${index}].memory_id`));
  const records = await Promise.all(ids.map((id) => c.var.memory.get(id, callOptions(c))));
  const missing = records.findIndex((record) => record === null);
  if (missing >= 0) throw memoryNotFound(ids[missing]!);
  return ids;
}

/** `PUT /v1/batch/`. */
export const batchUpdate: RouteHandler<typeof batchUpdateRoute, AppEnv> = async (c) => {
  const { memories } = c.req.valid('json');
  const ids = await checkBatch(c, memories);
  memories.forEach((item, index) => {
    if (item.text == null && item.metadata == null) throw new ValidationError({ field: `memories[${index}].text`, message: `memories[${index}].text: an update needs text or metadata` });
  });
  for (const [index, item] of memories.entries()) {
    await c.var.memory.update(ids[index]!, { ...(item.text == null ? {} : { memory: item.text }), ...(item.metadata == null ? {} : { metadata: item.metadata as MemoryMetadata }) }, callOptions(c, String(index)));
  }
  return c.json({ message: `Successfully updated ${memories.length} memories` }, 200);
};

/** `DELETE /v1/batch/`. */
export const batchDelete: RouteHandler<typeof batchDeleteRoute, AppEnv> = async (c) => {
  const { memories } = c.req.valid('json');
  const ids = await checkBatch(c, memories);
  for (const [index, id] of ids.entries()) await c.var.memory.delete(id, callOptions(c, String(index)));
  return c.json({ message: `Successfully deleted ${ids.length} memories` }, 200);
};
