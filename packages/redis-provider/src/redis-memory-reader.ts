import { memoryScopeFields, pinnedScope, type MemoryFilter, type MemoryRecord, type MemoryScopeField } from '@memgate/core';
import type { Redis } from 'ioredis';
import type { RedisKeys } from './redis-keys.js';
import { decodeMemoryHash } from './redis-record-codec.js';

/** Where a read gets its memories, and how many it may read per round trip. */
export interface RedisReadContext {
  readonly redis: Redis;
  readonly keys: RedisKeys;
  readonly batchSize: number;
  /** Stops the scan between round trips once the call has ended. */
  readonly signal: AbortSignal;
}

/** The memories with these ids, in the same order; null where none exists. Pipelined in batches. */
export async function readMemories({ redis, keys, batchSize, signal }: RedisReadContext, ids: readonly string[]): Promise<(MemoryRecord | null)[]> {
  const records: (MemoryRecord | null)[] = [];
  for (let start = 0; start < ids.length; start += batchSize) {
    signal.throwIfAborted();
    const batch = ids.slice(start, start + batchSize);
    const pipeline = redis.pipeline();
    for (const id of batch) pipeline.hgetall(keys.memory(id));
    const replies = (await pipeline.exec()) ?? [];
    replies.forEach(([error, hash], index) => {
      if (error) throw error;
      records.push(decodeMemoryHash(batch[index]!, hash as Record<string, string>));
    });
  }
  return records;
}

/**
 * The index to scan for a filter: the smallest scope index among the scope ids the filter pins
 * with `eq` at its top level, or the index of every memory when it pins none.
 */
export async function candidateIndex({ redis, keys }: RedisReadContext, filter: MemoryFilter): Promise<string> {
  const scope = pinnedScope(filter);
  const indexes = memoryScopeFields.filter((field) => scope[field] !== undefined).map((field) => keys.scopeIndex(field, scope[field]!));
  if (indexes.length === 0) return keys.allIndex;
  if (indexes.length === 1) return indexes[0]!;
  const pipeline = redis.pipeline();
  for (const index of indexes) pipeline.zcard(index);
  const sizes = ((await pipeline.exec()) ?? []).map(([error, size]) => {
    if (error) throw error;
    return Number(size);
  });
  return indexes[sizes.indexOf(Math.min(...sizes))]!;
}

/**
 * Every memory the filter matches, newest first (createdAt, then id, descending), found by
 * reading the candidate index whole and evaluating the filter in process with the caller's
 * predicate (core's `matchesMemoryFilter`). O(size of the index): see the README's limits.
 */
export async function readMatchingMemories(context: RedisReadContext, filter: MemoryFilter, matches: (record: MemoryRecord) => boolean): Promise<MemoryRecord[]> {
  const index = await candidateIndex(context, filter);
  // One snapshot of the ids, so memories added or deleted during the scan cannot shift the pages.
  const ids = await context.redis.zrange(index, 0, '-1', 'REV');
  const records = await readMemories(context, ids);
  return records.filter((record): record is MemoryRecord => record !== null && matches(record));
}

/**
 * The sorted index that holds exactly the memories a filter matches, if there is one: the index of
 * every memory for a filter that matches everything, the scope id's index for one scope equality.
 * A listing pages straight through it; an entity listing over the whole store uses the entity index.
 */
export function exactIndex(keys: RedisKeys, filter: MemoryFilter): string | undefined {
  if (isMatchAll(filter)) return keys.allIndex;
  const single = singleScopeEquality(filter);
  return single && keys.scopeIndex(single.field, single.value);
}

/** True for a filter without conditions (core's `matchAllFilter`). */
export function isMatchAll(filter: MemoryFilter): boolean {
  return filter.type === 'and' && filter.filters.length === 0;
}

/**
 * The scope field and value when a filter is exactly one scope equality (the common "list this
 * user's memories"), which the sorted index answers page by page without reading the rest.
 */
export function singleScopeEquality(filter: MemoryFilter): { field: MemoryScopeField; value: string } | undefined {
  const condition = filter.type === 'and' && filter.filters.length === 1 ? filter.filters[0]! : filter;
  if (condition.type !== 'condition' || condition.field.kind !== 'scope' || condition.operator !== 'eq' || typeof condition.value !== 'string') return undefined;
  return { field: condition.field.name, value: condition.value };
}
