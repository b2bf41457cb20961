import { compareEntities, createEntityTally, matchesMemoryFilter, memoryProviderV1EntityTypes, type MemoryFilter, type MemoryProviderV1Entity } from '@memgate/core';
import { isMatchAll, readMatchingMemories, type RedisReadContext } from './redis-memory-reader.js';
import type { RedisScripts } from './redis-scripts.js';

type EntityContext = RedisReadContext & { readonly scripts: RedisScripts };

/**
 * The provider's `aggregateEntities`. A filter that matches everything (what `GET /v1/entities/` asks
 * for) is answered from the entity index: per entity one `ZCARD` and two one-element `ZRANGE`s, run in
 * the server by a script per batch of entities, so the cost grows with the number of entities, not of memories. Any other filter (a tenant's scope, say)
 * reads the memories it matches, as `list` does, and adds them up.
 */
export async function aggregateRedisEntities(context: EntityContext, filter: MemoryFilter): Promise<MemoryProviderV1Entity[]> {
  if (!isMatchAll(filter)) {
    const tally = createEntityTally();
    for (const record of await readMatchingMemories(context, filter, (candidate) => matchesMemoryFilter(candidate, filter))) tally.add(record);
    return tally.entities();
  }
  const { redis, keys, batchSize, signal, scripts } = context;
  if ((await redis.exists(keys.entityIndexReady)) === 0) await indexExistingMemories(context);
  const members = await Promise.all(memoryProviderV1EntityTypes.map(([, field]) => redis.smembers(keys.entityIndex(field))));
  const entities: MemoryProviderV1Entity[] = [];
  for (const [position, [type, field]] of memoryProviderV1EntityTypes.entries()) {
    const ids = members[position]!;
    for (let start = 0; start < ids.length; start += batchSize) {
      signal.throwIfAborted();
      const batch = ids.slice(start, start + batchSize);
      // One script per batch: an entity's count and times come from the same moment, in one round trip.
      const stats = await scripts.entityStats([keys.prefix, field, ...batch]);
      batch.forEach((id, index) => {
        const [count, first, last] = stats.slice(index * 3, index * 3 + 3);
        if (Number(count) === 0) return; // its last memory went since the index was read
        const createdAt = Number(first);
        const updatedAt = last === null || last === undefined ? createdAt : Number(last);
        entities.push({ type, id, memoryCount: Number(count), createdAt: new Date(createdAt).toISOString(), updatedAt: new Date(updatedAt).toISOString() });
      });
    }
  }
  return entities.sort(compareEntities);
}

/**
 * Builds the entity index over the memories stored before it existed (a store written by an older
 * version of this provider), once: later writes keep it up to date themselves. Safe to run twice at
 * once; a run cut short by the call's deadline is simply done again by the next call.
 */
async function indexExistingMemories({ redis, keys, batchSize, signal, scripts }: EntityContext): Promise<void> {
  const ids = await redis.zrange(keys.allIndex, 0, '-1');
  for (let start = 0; start < ids.length; start += batchSize) {
    signal.throwIfAborted();
    const batch = ids.slice(start, start + batchSize);
    const pipeline = redis.pipeline();
    for (const id of batch) pipeline.hget(keys.memory(id), 'updatedAt');
    const updatedAts = ((await pipeline.exec()) ?? []).map(([error, updatedAt]) => {
      if (error) throw error;
      return updatedAt as string | null;
    });
    const triples = batch.flatMap((id, index) => {
      const updatedAt = updatedAts[index];
      return updatedAt ? [id, updatedAt, String(Date.parse(updatedAt))] : [];
    });
    if (triples.length > 0) await scripts.indexEntities([keys.prefix, ...triples]);
  }
  await redis.set(keys.entityIndexReady, '1');
}
