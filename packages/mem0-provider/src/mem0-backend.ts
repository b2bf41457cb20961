import type { MemoryFilter, MemoryHistoryEvent, MemoryRecord, MemoryScope } from '@memgate/core';
import type { Mem0Memory } from './mem0-schemas.js';

/** An entity (user, agent, app or run) that owns memories in mem0. */
export interface Mem0Entity {
  readonly type: 'user' | 'agent' | 'app' | 'run';
  /** The entity's id as callers scope memories with it (`user_id` etc.). */
  readonly id: string;
  /** How many memories it owns, when mem0 says. */
  readonly totalMemories: number | undefined;
}

/** The signal and request id of the provider call a round trip belongs to. */
export interface Mem0Call {
  readonly signal: AbortSignal;
  readonly requestId?: string;
}

/**
 * One mem0 surface (Platform or OSS) in mem0's own terms: mem0 ids, raw memories. The provider builds
 * canonical ids, idempotency and filtering on top of it.
 */
export interface Mem0Backend {
  /** OSS has no app scope, so the app id travels in metadata. */
  readonly appInMetadata: boolean;
  /** Whether `history` can be offered. */
  readonly hasHistory: boolean;
  /** Stores one canonical record verbatim (`infer: false`); resolves once mem0 has stored it. Returns mem0's id. */
  insert(record: MemoryRecord, call: Mem0Call): Promise<string>;
  /** A memory by mem0 id, or null. */
  fetch(mem0Id: string, call: Mem0Call): Promise<Mem0Memory | null>;
  /** The memory whose metadata carries this canonical id, or null. */
  findByCanonicalId(id: string, call: Mem0Call): Promise<Mem0Memory | null>;
  /** Every memory that may match the filter (a superset; the caller re-checks). */
  scan(filter: MemoryFilter, limit: number, call: Mem0Call): Promise<Mem0Memory[]>;
  /** Scored candidates for a search (a superset; the caller re-checks and trims). */
  search(query: string, filter: MemoryFilter, topK: number, threshold: number, call: Mem0Call): Promise<Mem0Memory[]>;
  /** Replaces text and/or metadata. Returns the memory when mem0 answers with it. */
  change(mem0Id: string, text: string | undefined, metadata: Record<string, unknown>, call: Mem0Call): Promise<Mem0Memory | null>;
  /** Deletes one memory. @throws NotFoundError */
  remove(mem0Id: string, call: Mem0Call): Promise<void>;
  /** Deletes every memory of a scope; resolves once mem0 has done it. */
  removeScope(scope: MemoryScope, call: Mem0Call): Promise<void>;
  /** mem0's history of a memory, oldest first, without canonical ids. */
  history(mem0Id: string, call: Mem0Call): Promise<Omit<MemoryHistoryEvent, 'memoryId'>[]>;
  /** Every entity that owns memories. */
  entities(call: Mem0Call): Promise<Mem0Entity[]>;
  /** Replaces text and/or metadata of several memories (one round trip on the Platform). */
  batchChange(items: { mem0Id: string; text?: string; metadata: Record<string, unknown> }[], call: Mem0Call): Promise<void>;
  /** Deletes several memories (one round trip on the Platform). */
  batchRemove(mem0Ids: string[], call: Mem0Call): Promise<void>;
  /** A cheap call that proves mem0 answers. */
  ping(call: Mem0Call): Promise<void>;
}
