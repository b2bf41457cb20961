import type { MemoryFilter } from '../filter/memory-filter.js';
import type { MemoryProviderV1, MemoryProviderV1Entity } from './memory-provider-v1.js';
import type { MemoryProviderV1CallOptions } from './memory-provider-v1-call-options.js';
import type { MemoryScopeField } from './memory-scope.js';

const entityFields: readonly [MemoryProviderV1Entity['type'], MemoryScopeField][] = [
  ['user', 'userId'],
  ['agent', 'agentId'],
  ['app', 'appId'],
  ['run', 'runId'],
];
/** Memories read per listing call (the contract's largest page). */
const scanPageSize = 1000;

/**
 * The entities owning memories that match `filter`, found by paging through `list`: the fallback of
 * `aggregateEntities` for providers without it. Its cost grows with the number of memories, and it stops
 * after `maxMemories` (default 100,000). Sorted by type, then id.
 */
export async function aggregateEntitiesByScan(list: MemoryProviderV1['list'], filter: MemoryFilter, options?: MemoryProviderV1CallOptions, maxMemories = 100_000): Promise<MemoryProviderV1Entity[]> {
  const entities = new Map<string, { type: MemoryProviderV1Entity['type']; id: string; memoryCount: number; createdAt: string; updatedAt: string }>();
  for (let page = 1; (page - 1) * scanPageSize < maxMemories; page += 1) {
    const listing = await list(filter, { page, pageSize: scanPageSize }, options);
    for (const record of listing.items) {
      for (const [type, field] of entityFields) {
        const id = record[field];
        if (id === undefined) continue;
        const key = `${type}:${id}`;
        const entity = entities.get(key) ?? { type, id, memoryCount: 0, createdAt: record.createdAt, updatedAt: record.updatedAt };
        entity.memoryCount += 1;
        if (record.createdAt < entity.createdAt) entity.createdAt = record.createdAt;
        if (record.updatedAt > entity.updatedAt) entity.updatedAt = record.updatedAt;
        entities.set(key, entity);
      }
    }
    if (page * scanPageSize >= listing.total || listing.items.length === 0) break;
  }
  const order = entityFields.map(([type]) => type);
  return [...entities.values()].sort((left, right) => order.indexOf(left.type) - order.indexOf(right.type) || (left.id < right.id ? -1 : left.id > right.id ? 1 : 0));
}
