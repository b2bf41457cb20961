import type { MemoryFilter } from '../filter/memory-filter.js';
import type { MemoryRecord } from './memory-record.js';

/** A search over stored memories. */
export interface MemoryProviderV1SearchQuery {
  /** The text to search for; not empty. */
  readonly query: string;
  /** Which memories may match; always holds the caller's scope. */
  readonly filter: MemoryFilter;
  /** At most this many results (default 10). */
  readonly topK?: number;
  /** Results scoring below this (0 to 1) are dropped. Default 0: keep every match. */
  readonly threshold?: number;
  /** A precomputed query embedding for vector search. */
  readonly embedding?: readonly number[];
}

/** A memory found by a search, with its relevance. */
export interface MemoryProviderV1SearchResult extends MemoryRecord {
  /** Relevance in [0, 1]; higher is better. Only the ordering is comparable across providers. */
  readonly score: number;
}

/** A page of memories for `list`. */
export interface MemoryProviderV1Page {
  /** 1-based page number. */
  readonly page: number;
  /** Memories per page, 1 to 1000. */
  readonly pageSize: number;
}

/** A page of a listing: newest first (by `createdAt`, then `id`). */
export interface MemoryProviderV1ListResult {
  readonly items: MemoryRecord[];
  /** How many memories match the filter in all. */
  readonly total: number;
}
