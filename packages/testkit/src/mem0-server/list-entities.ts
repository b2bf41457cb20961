import { wireScopeKeys, type WireMemory } from './mem0-wire-store.js';

/** An entity (user, agent, app or run) that owns memories, as mem0's entity listing shows it. */
export interface WireEntity {
  id: string;
  name: string;
  type: 'user' | 'agent' | 'app' | 'run';
  owner: string;
  metadata: Record<string, unknown>;
  total_memories: number;
  created_at: string;
  updated_at: string;
}

const typeOf = { user_id: 'user', agent_id: 'agent', app_id: 'app', run_id: 'run' } as const;

/** Every entity that owns at least one stored memory, oldest first. */
export function listEntities(memories: Iterable<WireMemory>): WireEntity[] {
  const byKey = new Map<string, WireEntity>();
  for (const memory of memories) {
    for (const key of wireScopeKeys) {
      const name = memory[key];
      if (name === undefined) continue;
      const type = typeOf[key];
      const entity = byKey.get(`${type}:${name}`);
      if (entity) {
        entity.total_memories += 1;
        if (memory.created_at < entity.created_at) entity.created_at = memory.created_at;
        if (memory.updated_at > entity.updated_at) entity.updated_at = memory.updated_at;
      } else {
        byKey.set(`${type}:${name}`, {
          id: name, name, type, owner: 'wire@example.com', metadata: {}, total_memories: 1, created_at: memory.created_at, updated_at: memory.updated_at,
        });
      }
    }
  }
  return [...byKey.values()].sort((a, b) => a.created_at.localeCompare(b.created_at));
}
