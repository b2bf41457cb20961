import { aggregateEntitiesByScan, matchAllFilter, type MemoryProviderV1, type MemoryProviderV1CallOptions, type MemoryScopeField } from '@memgate/core';

/** mem0's entity types and the scope field each names. */
export const entityTypes = { user: 'userId', agent: 'agentId', app: 'appId', run: 'runId' } as const satisfies Record<string, MemoryScopeField>;

/** One of mem0's entity types. */
export type EntityType = keyof typeof entityTypes;

/** An entity in mem0's `GET /v1/entities/` shape. */
export interface Mem0Entity {
  id: string;
  name: string;
  type: EntityType;
  owner: string;
  metadata: Record<string, never>;
  total_memories: number;
  created_at: string;
  updated_at: string;
}

/**
 * Every entity (user, agent, app, run) that owns at least one memory, with its memory count and the
 * first and last time it wrote, sorted by type then name: from the provider's entity listing (an index
 * or GROUP BY) when it has one, else by paging through its listing (`aggregateEntitiesByScan`, up to 100,000 memories).
 */
export async function collectEntities(provider: MemoryProviderV1, options: MemoryProviderV1CallOptions): Promise<Mem0Entity[]> {
  const found = provider.aggregateEntities ? await provider.aggregateEntities(matchAllFilter, options) : await aggregateEntitiesByScan(provider.list.bind(provider), matchAllFilter, options);
  return found
    .map(({ type, id, memoryCount, createdAt, updatedAt }): Mem0Entity => ({ id, name: id, type, owner: 'memgate', metadata: {}, total_memories: memoryCount, created_at: createdAt, updated_at: updatedAt }))
    .sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name));
}
