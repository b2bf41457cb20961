import { matchesMemoryFilter, parseMemoryFilter, ValidationError, type MemoryFilter, type MemoryRecord } from '@memgate/core';
import type { WireMemory } from './mem0-wire-store.js';

/** A filter the wire server could not accept: the message mem0 would answer with a 400. */
export class WireFilterError extends Error {}

/**
 * Parses a v2/v3 filter as the Platform does: required, an object, and naming at least one entity id
 * somewhere. With `requireEntity: false` (the OSS server) a missing or empty filter matches everything.
 * @throws WireFilterError with a mem0-like message
 */
export function parseWireFilter(filters: unknown, requireEntity = true): MemoryFilter {
  if (!requireEntity && (filters === undefined || filters === null || (typeof filters === 'object' && Object.keys(filters).length === 0))) {
    return { type: 'and', filters: [] };
  }
  if (filters === undefined || filters === null) throw new WireFilterError('filters: This field is required.');
  let filter: MemoryFilter;
  try {
    filter = parseMemoryFilter(filters);
  } catch (error) {
    if (ValidationError.isInstance(error)) throw new WireFilterError(error.message);
    throw error;
  }
  if (requireEntity && !namesEntity(filter)) throw new WireFilterError('filters: at least one of user_id, agent_id, app_id or run_id is required');
  return filter;
}

function namesEntity(filter: MemoryFilter): boolean {
  if (filter.type === 'condition') return filter.field.kind === 'scope';
  if (filter.type === 'not') return namesEntity(filter.filter);
  return filter.filters.some(namesEntity);
}

/** The memory as core's record, so core's reference matcher can judge it. */
export function wireToRecord(memory: WireMemory): MemoryRecord {
  return {
    id: memory.id, memory: memory.memory, metadata: memory.metadata as MemoryRecord['metadata'],
    createdAt: memory.created_at, updatedAt: memory.updated_at,
    ...(memory.user_id !== undefined && { userId: memory.user_id }),
    ...(memory.agent_id !== undefined && { agentId: memory.agent_id }),
    ...(memory.app_id !== undefined && { appId: memory.app_id }),
    ...(memory.run_id !== undefined && { runId: memory.run_id }),
  };
}

/** Memories matching a filter, newest first (created_at, then id). */
export function selectWire(memories: Iterable<WireMemory>, filter: MemoryFilter): WireMemory[] {
  return [...memories]
    .filter((memory) => matchesMemoryFilter(wireToRecord(memory), filter))
    .sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id.localeCompare(a.id));
}

const tokens = (text: string): string[] => text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);

/**
 * A deterministic stand-in for mem0's hybrid score: the share of the query's words found in the memory,
 * in [0, 1]. Good enough to rank, and it never needs an embedding model.
 */
export function wireScore(query: string, memory: string): number {
  const wanted = new Set(tokens(query));
  if (wanted.size === 0) return 0;
  const have = new Set(tokens(memory));
  let hits = 0;
  for (const word of wanted) if (have.has(word) || [...have].some((candidate) => candidate.startsWith(word))) hits += 1;
  return hits / wanted.size;
}

/** Ranks memories for a search: scored, at or above the threshold, best first, at most topK. */
export function searchWire(memories: WireMemory[], query: string, topK: number, threshold: number): (WireMemory & { score: number })[] {
  return memories
    .map((memory) => ({ ...memory, score: wireScore(query, memory.memory) }))
    .filter((memory) => memory.score > 0 && memory.score >= threshold)
    .sort((a, b) => b.score - a.score || b.created_at.localeCompare(a.created_at))
    .slice(0, topK);
}

/** Django-REST style page: `{count, next, previous, results}`. */
export function pageWire<T>(items: T[], page: number, pageSize: number, url: string): { count: number; next: string | null; previous: string | null; results: T[] } {
  const start = (page - 1) * pageSize;
  const link = (target: number): string => `${url}?page=${target}&page_size=${pageSize}`;
  return {
    count: items.length,
    next: start + pageSize < items.length ? link(page + 1) : null,
    previous: page > 1 ? link(page - 1) : null,
    results: items.slice(start, start + pageSize),
  };
}
