import type { WireMemory } from './mem0-wire-store.js';

/** Platform memory shape (get, update, get-all): `session_id` for the run, nulls for missing ids. */
export function presentPlatformMemory(memory: WireMemory): Record<string, unknown> {
  return {
    id: memory.id, memory: memory.memory, hash: memory.hash,
    user_id: memory.user_id ?? null, agent_id: memory.agent_id ?? null, app_id: memory.app_id ?? null, session_id: memory.run_id ?? null,
    metadata: memory.metadata, categories: memory.categories, structured_attributes: null, replaced_by: null, synthesized: false,
    lifecycle_state: 'active', expiration_date: memory.expiration_date, created_at: memory.created_at, updated_at: memory.updated_at,
  };
}

/** Platform V3 search item: `run_id`, with a score. */
export function presentSearchHit(memory: WireMemory & { score: number }): Record<string, unknown> {
  return {
    id: memory.id, memory: memory.memory, user_id: memory.user_id ?? null, agent_id: memory.agent_id ?? null, app_id: memory.app_id ?? null,
    run_id: memory.run_id ?? null, metadata: memory.metadata, categories: memory.categories, score: memory.score,
    score_breakdown: { semantic: memory.score, bm25: memory.score, entity: 0 }, expiration_date: memory.expiration_date,
    created_at: memory.created_at, updated_at: memory.updated_at,
  };
}
