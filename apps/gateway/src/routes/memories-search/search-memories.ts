import { type MemoryFilter } from '@memgate/core';
import type { Context } from 'hono';
import type { AppEnv } from '../../app/app-env.js';
import { callOptions } from '../../mem0/call-options.js';
import { type Mem0Memory, toMem0Memory } from '../../mem0/to-mem0-memory.js';

/** The search parameters memgate uses. */
export interface SearchInput {
  readonly query: string;
  readonly top_k?: number | null;
  readonly threshold?: number | null;
}

/** Runs a search through the provider and returns mem0 memories with scores, best first. */
export async function searchMemories(c: Context<AppEnv>, input: SearchInput, filter: MemoryFilter): Promise<Mem0Memory[]> {
  const results = await c.var.memory.search(
    { query: input.query, filter, topK: input.top_k ?? 10, ...(input.threshold == null ? {} : { threshold: input.threshold }) },
    callOptions(c),
  );
  return results.map((result) => toMem0Memory(result, result.score));
}
