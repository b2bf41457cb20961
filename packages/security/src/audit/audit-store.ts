import type { AuditCheckpoint, AuditQuery } from './audit-checkpoint.js';
import type { AuditEntry } from './audit-entry.js';

/** The last entry of a chain. */
export interface AuditChainHead {
  readonly seq: number;
  readonly hash: string;
}

/**
 * Append-only storage of the audit chain. `@memgate/state` implements it over PostgreSQL (INSERT-only
 * role, a unique `seq`); `createInMemoryAuditStore` is the reference. There is no update or delete.
 */
export interface AuditStore {
  /** The last entry's seq and hash, or `null` for an empty chain. */
  head(): Promise<AuditChainHead | null>;
  /**
   * Appends consecutive entries atomically: all or none.
   * @throws ConflictError when `entries[0]` does not follow the current head (another writer got
   *   there first); the writer then re-reads the head and re-chains
   */
  append(entries: readonly AuditEntry[]): Promise<void>;
  /** Entries with `seq > afterSeq` (default 0), oldest first, at most `limit` (default 1000). */
  list(options?: { afterSeq?: number; limit?: number }): Promise<readonly AuditEntry[]>;
  /** Entries matching every given filter, oldest first, at most `limit` (default 100, at most 1000). */
  query(filter: AuditQuery): Promise<readonly AuditEntry[]>;
  /** Keeps a signed checkpoint of the chain (append-only too). */
  appendCheckpoint(checkpoint: AuditCheckpoint): Promise<void>;
  /** Every checkpoint, oldest first. */
  listCheckpoints(): Promise<readonly AuditCheckpoint[]>;
}
