import type { Disposable } from './disposable.js';
import type { ProviderRecord, ProviderRecordChange, ProviderRecordInput } from './provider-record.js';

/**
 * Where a {@link ProviderRegistry} keeps its providers. `InMemoryProviderRegistryStore` lives beside
 * it; `@memgate/state` implements it over PostgreSQL/PGlite so several gateway processes share one.
 */
export interface ProviderRegistryStore {
  /** Every record, ordered by name. */
  list(): Promise<ProviderRecord[]>;
  /** One record, or `null`. */
  get(name: string): Promise<ProviderRecord | null>;
  /**
   * Inserts a record at version 1.
   * @throws ConflictError when the name exists
   */
  insert(record: ProviderRecordInput): Promise<ProviderRecord>;
  /**
   * Replaces a record's fields if its version is still `expectedVersion`, bumping the version.
   * @throws ConflictError when another writer changed it first
   * @throws NotFoundError when there is no such record
   */
  update(name: string, expectedVersion: number, record: ProviderRecordInput): Promise<ProviderRecord>;
  /**
   * Removes a record if its version is still `expectedVersion`.
   * @throws ConflictError when another writer changed it first
   * @throws NotFoundError when there is no such record
   */
  remove(name: string, expectedVersion: number): Promise<void>;
  /**
   * Calls `listener` after every committed change, made through this store or (for a shared store)
   * by another process. Delivery is at least once and may be late; listeners re-read the record.
   */
  onChange(listener: (change: ProviderRecordChange) => void): Disposable;
}
