import type { MemoryScopeField } from '@memgate/core';

/**
 * The key layout under a prefix (default `memgate:`):
 * - `m:<id>`: a hash per memory (`memory`, `metadata` as JSON, `createdAt`, `updatedAt`, scope ids);
 * - `h:<id>`: a list of the memory's history events (JSON), oldest first, kept after deletion;
 * - `s:<field>:<value>`: a sorted set per scope id (`s:userId:alice`) of memory ids scored by
 *   `createdAt` in epoch milliseconds, which gives listings their newest-first order;
 * - `all`: the same sorted set over every memory, for filters that pin no scope id;
 * - `e:<field>`: a set of the values of one scope field that own at least one memory (`e:userId`
 *   holds every user id), the entity index;
 * - `u:<field>:<value>`: like `s:<field>:<value>` but scored by `updatedAt`, so an entity's last
 *   write is one read;
 * - `entity-index-ready`: set once `e:` and `u:` also cover memories written before they existed.
 * The Lua scripts in redis-scripts.ts build the same names; keep both in step.
 */
export interface RedisKeys {
  readonly prefix: string;
  memory(id: string): string;
  history(id: string): string;
  scopeIndex(field: MemoryScopeField, value: string): string;
  readonly allIndex: string;
  entityIndex(field: MemoryScopeField): string;
  updatedIndex(field: MemoryScopeField, value: string): string;
  readonly entityIndexReady: string;
}

/** The key names under `prefix`. */
export function redisKeys(prefix: string): RedisKeys {
  return {
    prefix,
    memory: (id) => `${prefix}m:${id}`,
    history: (id) => `${prefix}h:${id}`,
    scopeIndex: (field, value) => `${prefix}s:${field}:${value}`,
    allIndex: `${prefix}all`,
    entityIndex: (field) => `${prefix}e:${field}`,
    updatedIndex: (field, value) => `${prefix}u:${field}:${value}`,
    entityIndexReady: `${prefix}entity-index-ready`,
  };
}
