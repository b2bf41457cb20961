import type { MemoryFilter } from '../filter/memory-filter.js';
import { createEntityTally } from './entity-tally.js';
import type { MemoryProviderV1 } from './memory-provider-v1.js';
import type { MemoryProviderV1CallOptions } from './memory-provider-v1-call-options.js';
import type { MemoryProviderV1Entity } from './memory-provider-v1-entity.js';

/** Memories read per listing call (the contract's largest page). */
const scanPageSize = 1000;

/**
 * The entities owning memories that match `filter`, found by paging through `list`: the fallback of
 * `aggregateEntities` for providers without it. Its cost grows with the number of memories, and it stops
 * after `maxMemories` (default 100,000). Sorted by type, then id.
 */
export async function aggregateEntitiesByScan(list: MemoryProviderV1['list'], filter: MemoryFilter, options?: MemoryProviderV1CallOptions, maxMemories = 100_000): Promise<MemoryProviderV1Entity[]> {
  const tally = createEntityTally();
  for (let page = 1; (page - 1) * scanPageSize < maxMemories; page += 1) {
    const listing = await list(filter, { page, pageSize: scanPageSize }, options);
    for (const record of listing.items) tally.add(record);
    if (page * scanPageSize >= listing.total || listing.items.length === 0) break;
  }
  return tally.entities();
}
