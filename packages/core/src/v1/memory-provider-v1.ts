import type { MemoryFilter } from '../filter/memory-filter.js';
import type { MemoryHistoryEvent } from './memory-history-event.js';
import type { MemoryProviderV1CallOptions } from './memory-provider-v1-call-options.js';
import type { MemoryProviderV1Capabilities } from './memory-provider-v1-capabilities.js';
import type { MemoryProviderV1Entity } from './memory-provider-v1-entity.js';
import type { MemoryProviderV1ListResult, MemoryProviderV1Page, MemoryProviderV1SearchQuery, MemoryProviderV1SearchResult } from './memory-provider-v1-search.js';
import type { MemoryProviderV1NewRecord, MemoryProviderV1Patch, MemoryRecord } from './memory-record.js';
import type { MemoryScope } from './memory-scope.js';

/** What a successful probe reports. A failed probe throws one of core's error classes instead. */
export interface MemoryProviderV1ProbeResult {
  /** Round-trip time of the probe in milliseconds. */
  readonly latencyMs: number;
  /** Free-form detail, e.g. the server version. */
  readonly detail?: string;
}

/**
 * Version 1 of the memory provider contract. A provider is created by a factory
 * (`createPostgresMemoryProvider(settings)`) and must pass `@memgate/testkit`'s conformance suite.
 *
 * Every operation takes {@link MemoryProviderV1CallOptions}: it rejects with `AbortedError` when the
 * signal aborts and with `ProviderTimeoutError` past the deadline. Failures are core's error
 * classes with `isRetryable` set by the provider; nothing else is thrown.
 */
export interface MemoryProviderV1 {
  /** The contract version; a breaking change adds `v2` beside it. */
  readonly specificationVersion: 'v1';
  /** The provider type, e.g. `postgres`, `mem0`. */
  readonly type: string;
  /** This instance's name, unique within a gateway. */
  readonly name: string;
  /** What this provider can do. */
  readonly capabilities: MemoryProviderV1Capabilities;

  /**
   * Stores memories, each verbatim, all or none. Records without an id get a UUIDv7.
   * Adding an id that already exists with the same scope and text returns the stored record
   * unchanged (so replays are idempotent); with different content it throws `ConflictError`.
   * @throws ValidationError when a record has no scope id
   */
  add(records: readonly MemoryProviderV1NewRecord[], options?: MemoryProviderV1CallOptions): Promise<MemoryRecord[]>;
  /** One memory by id, or `null` when there is none. */
  get(id: string, options?: MemoryProviderV1CallOptions): Promise<MemoryRecord | null>;
  /** Memories matching a filter, newest first, one page at a time. */
  list(filter: MemoryFilter, page: MemoryProviderV1Page, options?: MemoryProviderV1CallOptions): Promise<MemoryProviderV1ListResult>;
  /**
   * Optional: every entity (user, agent, app or run id) that owns at least one memory matching `filter`,
   * with its memory count and first and last write, sorted by type then id, answered from an index or an
   * aggregate. Having the method is the capability (there is no flag to disagree with it): a caller with a
   * provider that lacks it pages through `list` instead (`aggregateEntitiesByScan`), and must get the same answer.
   */
  aggregateEntities?(filter: MemoryFilter, options?: MemoryProviderV1CallOptions): Promise<MemoryProviderV1Entity[]>;
  /** Memories matching a filter, ranked by relevance to the query, best first. */
  search(query: MemoryProviderV1SearchQuery, options?: MemoryProviderV1CallOptions): Promise<MemoryProviderV1SearchResult[]>;
  /**
   * Changes a memory's text and/or metadata; records an UPDATE in its history.
   * @throws NotFoundError when there is no such memory
   */
  update(id: string, patch: MemoryProviderV1Patch, options?: MemoryProviderV1CallOptions): Promise<MemoryRecord>;
  /**
   * Deletes a memory; records a DELETE in its history.
   * @throws NotFoundError when there is no such memory
   */
  delete(id: string, options?: MemoryProviderV1CallOptions): Promise<void>;
  /**
   * Deletes every memory whose scope fields equal the given ones (at least one is required).
   * @returns how many memories were deleted
   * @throws ValidationError when the scope is empty
   */
  deleteAll(scope: MemoryScope, options?: MemoryProviderV1CallOptions): Promise<{ deleted: number }>;
  /**
   * The memory's history, oldest first. Kept after the memory is deleted.
   * @throws UnsupportedCapabilityError when `capabilities.history` is false
   */
  history(id: string, options?: MemoryProviderV1CallOptions): Promise<MemoryHistoryEvent[]>;
  /** A cheap call that proves the backend answers. Throws a core error when it does not. */
  probe(options?: MemoryProviderV1CallOptions): Promise<MemoryProviderV1ProbeResult>;
  /** Releases connections and timers. Idempotent. */
  close(): Promise<void>;
}
