import type { ApiKeyRecord } from './api-key-record.js';

/** Fields {@link KeyStore.update} may change. */
export type ApiKeyRecordPatch = Partial<Pick<ApiKeyRecord, 'expiresAt' | 'revokedAt' | 'replacedBy' | 'name' | 'roles' | 'permissions'>>;

/**
 * Told that a key was revoked, rotated away, or had its expiry, roles or permissions changed, so a
 * replica drops it from its cache. `{ id: '*', hash: '*' }` means notices may have been missed (the
 * store reconnected): drop every cached key.
 */
export type KeyRevocationListener = (event: { readonly id: string; readonly hash: string }) => void;

/**
 * Where key records live. Small on purpose: `@memgate/state` implements it over PostgreSQL
 * (a unique index on `hash`, LISTEN/NOTIFY for {@link KeyStore.onRevocation}); the in-memory
 * implementation is `createInMemoryKeyStore`.
 */
export interface KeyStore {
  /**
   * Stores a new record.
   * @throws ConflictError when the id or hash already exists
   */
  insert(record: ApiKeyRecord): Promise<void>;
  /** The record whose `hash` equals the given hex digest, or `null`. Must be an exact match on the full digest. */
  findByHash(hash: string): Promise<ApiKeyRecord | null>;
  /** The record with this id, or `null`. */
  findById(id: string): Promise<ApiKeyRecord | null>;
  /**
   * Changes some fields and returns the new record. When the patch sets `revokedAt`, `expiresAt`,
   * `roles` or `permissions`, the store must notify every replica's revocation listeners (in this
   * process and, for a shared store, in the others within a second).
   * @throws NotFoundError when there is no such id
   */
  update(id: string, patch: ApiKeyRecordPatch): Promise<ApiKeyRecord>;
  /** Every record, newest first. Records never leave the store: revoked keys stay for audit. */
  list(): Promise<readonly ApiKeyRecord[]>;
  /** Subscribes to revocations from any replica. Returns the unsubscribe function. */
  onRevocation(listener: KeyRevocationListener): () => void;
}
