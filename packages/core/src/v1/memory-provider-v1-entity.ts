import type { MemoryScopeField } from './memory-scope.js';

/** An entity that owns memories, as `aggregateEntities` reports it. */
export interface MemoryProviderV1Entity {
  readonly type: 'user' | 'agent' | 'app' | 'run';
  readonly id: string;
  readonly memoryCount: number;
  /** The oldest `createdAt` and newest `updatedAt` of its memories (ISO 8601). */
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** The entity types in the order entities are sorted, each with the scope field it names (mem0's order). */
export const memoryProviderV1EntityTypes: readonly (readonly [MemoryProviderV1Entity['type'], MemoryScopeField])[] = [
  ['user', 'userId'],
  ['agent', 'agentId'],
  ['app', 'appId'],
  ['run', 'runId'],
];

/** The order of `aggregateEntities` results: by type (user, agent, app, run), then by id in code-unit order. */
export function compareEntities(left: Pick<MemoryProviderV1Entity, 'type' | 'id'>, right: Pick<MemoryProviderV1Entity, 'type' | 'id'>): number {
  const rank = (type: MemoryProviderV1Entity['type']) => memoryProviderV1EntityTypes.findIndex(([candidate]) => candidate === type);
  return rank(left.type) - rank(right.type) || (left.id < right.id ? -1 : left.id > right.id ? 1 : 0);
}
