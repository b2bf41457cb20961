import { matchAllFilter, type MemoryProviderV1, type MemoryProviderV1CallOptions, type MemoryScopeField } from '@memgate/core';

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

/** Memories read per listing call while collecting entities (the contract's maximum page). */
const scanPageSize = 1000;

/**
 * Every entity (user, agent, app, run) that owns at least one memory, with its memory count and
 * the first and last time it wrote, sorted by type then name. The contract has no entity index,
 * so this pages through the provider's listing: its cost grows with the number of memories,
 * and it stops after `maxMemories` (default 100,000).
 */
export async function collectEntities(provider: MemoryProviderV1, options: MemoryProviderV1CallOptions, maxMemories = 100_000): Promise<Mem0Entity[]> {
  const entities = new Map<string, Mem0Entity>();
  for (let page = 1; (page - 1) * scanPageSize < maxMemories; page += 1) {
    const listing = await provider.list(matchAllFilter, { page, pageSize: scanPageSize }, options);
    for (const record of listing.items) {
      for (const [type, field] of Object.entries(entityTypes) as [EntityType, MemoryScopeField][]) {
        const name = record[field];
        if (name === undefined) continue;
        const key = `${type}:${name}`;
        const entity = entities.get(key) ?? { id: name, name, type, owner: 'memgate', metadata: {}, total_memories: 0, created_at: record.createdAt, updated_at: record.updatedAt };
        entity.total_memories += 1;
        if (record.createdAt < entity.created_at) entity.created_at = record.createdAt;
        if (record.updatedAt > entity.updated_at) entity.updated_at = record.updatedAt;
        entities.set(key, entity);
      }
    }
    if (page * scanPageSize >= listing.total) break;
  }
  return [...entities.values()].sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name));
}
