/**
 * What a provider can do. The router and the API read these flags; they never test a provider's class.
 */
export interface MemoryProviderV1Capabilities {
  /** Ranks search results by embedding similarity. */
  readonly vectorSearch: boolean;
  /** Ranks search results by full-text relevance. */
  readonly fullTextSearch: boolean;
  /** Keeps the ADD/UPDATE/DELETE history of each memory. */
  readonly history: boolean;
  /** Filters on metadata keys server-side. */
  readonly metadataFilters: boolean;
  /** Stores the caller's id as the memory's id (otherwise it keeps a mapping). */
  readonly callerIds: boolean;
  /** Adds several records in one round trip. */
  readonly batchWrites: boolean;
  /** Can extract memories with an LLM (mem0's `infer: true`). */
  readonly inference: boolean;
}
