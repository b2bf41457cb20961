import { createHash, randomUUID } from 'node:crypto';

/** The scope ids mem0 keeps on a memory (snake_case, as on the wire). */
export interface WireScope {
  user_id?: string;
  agent_id?: string;
  app_id?: string;
  run_id?: string;
}

/** A memory as the wire server keeps it. */
export interface WireMemory extends WireScope {
  id: string;
  memory: string;
  hash: string;
  metadata: Record<string, unknown>;
  categories: string[];
  expiration_date: string | null;
  created_at: string;
  updated_at: string;
}

/** One history entry, as mem0 reports it. */
export interface WireHistoryEntry extends WireScope {
  id: string;
  memory_id: string;
  old_memory: string | null;
  new_memory: string | null;
  event: 'ADD' | 'UPDATE' | 'DELETE';
  metadata: Record<string, unknown>;
  created_at: string;
  updated_at: string;
}

/** The scope keys, in mem0's order. */
export const wireScopeKeys = ['user_id', 'agent_id', 'app_id', 'run_id'] as const;

/** What the wire server stores: memories by id, and each memory's history (kept after deletion). */
export interface Mem0WireStore {
  readonly memories: Map<string, WireMemory>;
  readonly history: Map<string, WireHistoryEntry[]>;
  /** Stores a new memory and records an ADD. */
  add(input: WireScope & { memory: string; metadata?: Record<string, unknown>; createdAt?: string }): WireMemory;
  /** Changes text and/or metadata and records an UPDATE; `undefined` when there is no such memory. */
  update(id: string, change: { text?: string; metadata?: Record<string, unknown>; expiration_date?: string | null }): WireMemory | undefined;
  /** Removes a memory and records a DELETE; false when there was none. */
  remove(id: string): boolean;
  /** Empties the store. */
  clear(): void;
}

const scopeOf = (memory: WireScope): WireScope => {
  const scope: WireScope = {};
  for (const key of wireScopeKeys) if (memory[key] !== undefined) scope[key] = memory[key];
  return scope;
};

/** Creates an empty in-memory store. */
export function createMem0WireStore(): Mem0WireStore {
  const memories = new Map<string, WireMemory>();
  const history = new Map<string, WireHistoryEntry[]>();
  const record = (memory: WireMemory, event: WireHistoryEntry['event'], oldMemory: string | null, newMemory: string | null): void => {
    const now = new Date().toISOString();
    const entry: WireHistoryEntry = {
      id: randomUUID(), memory_id: memory.id, old_memory: oldMemory, new_memory: newMemory, event,
      metadata: memory.metadata, created_at: now, updated_at: now, ...scopeOf(memory),
    };
    history.set(memory.id, [...(history.get(memory.id) ?? []), entry]);
  };
  return {
    memories,
    history,
    add(input) {
      const now = new Date().toISOString();
      const memory: WireMemory = {
        id: randomUUID(), memory: input.memory, hash: createHash('md5').update(input.memory).digest('hex'),
        metadata: input.metadata ?? {}, categories: [], expiration_date: null,
        created_at: input.createdAt ?? now, updated_at: input.createdAt ?? now, ...scopeOf(input),
      };
      memories.set(memory.id, memory);
      record(memory, 'ADD', null, memory.memory);
      return memory;
    },
    update(id, change) {
      const memory = memories.get(id);
      if (!memory) return undefined;
      const old = memory.memory;
      if (change.text !== undefined) {
        memory.memory = change.text;
        memory.hash = createHash('md5').update(change.text).digest('hex');
      }
      if (change.metadata !== undefined) memory.metadata = change.metadata;
      if (change.expiration_date !== undefined) memory.expiration_date = change.expiration_date;
      memory.updated_at = new Date().toISOString();
      record(memory, 'UPDATE', old, memory.memory);
      return memory;
    },
    remove(id) {
      const memory = memories.get(id);
      if (!memory) return false;
      memories.delete(id);
      record(memory, 'DELETE', memory.memory, null);
      return true;
    },
    clear() {
      memories.clear();
      history.clear();
    },
  };
}
