import { compareEntities, memoryProviderV1EntityTypes, type MemoryProviderV1Entity } from './memory-provider-v1-entity.js';
import type { MemoryRecord } from './memory-record.js';

/** Adds memories up into entities, one record at a time. */
export interface EntityTally {
  /** Counts the record for each scope id it carries. */
  add(record: MemoryRecord): void;
  /** The entities counted so far, sorted (see `compareEntities`). */
  entities(): MemoryProviderV1Entity[];
}

/**
 * The in-process half of an entity listing: what the scan of `list` adds up, and what a provider that
 * has to read memories anyway (a filter its index cannot answer) adds up the same way.
 */
export function createEntityTally(): EntityTally {
  const entities = new Map<string, { type: MemoryProviderV1Entity['type']; id: string; memoryCount: number; createdAt: string; updatedAt: string }>();
  return {
    add(record) {
      for (const [type, field] of memoryProviderV1EntityTypes) {
        const id = record[field];
        if (id === undefined) continue;
        const key = `${type}:${id}`;
        const entity = entities.get(key) ?? { type, id, memoryCount: 0, createdAt: record.createdAt, updatedAt: record.updatedAt };
        entity.memoryCount += 1;
        // ISO 8601 strings of one format compare like the times they name.
        if (record.createdAt < entity.createdAt) entity.createdAt = record.createdAt;
        if (record.updatedAt > entity.updatedAt) entity.updatedAt = record.updatedAt;
        entities.set(key, entity);
      }
    },
    entities: () => [...entities.values()].sort(compareEntities),
  };
}
