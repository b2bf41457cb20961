import type { JsonValue } from '@memgate/core';

/** The first result of a write made with an idempotency key. */
export interface IdempotencyRecord {
  /** SHA-256 (hex) of the operation and its arguments: the same key with another request is refused. */
  readonly requestHash: string;
  /** The first call's result, returned to every retry. */
  readonly result: JsonValue;
}

/**
 * Where idempotency keys live (`@memgate/state` persists them; {@link createInMemoryIdempotencyStore}
 * keeps them in process). Keys are per principal: two callers may pick the same key.
 */
export interface IdempotencyStore {
  /** The record kept for this key, or null (also once expired). */
  get(principal: string, key: string): Promise<IdempotencyRecord | null>;
  /** Keeps a record for `ttlMs`; when one is already kept, keeps the first and returns it. */
  put(principal: string, key: string, record: IdempotencyRecord, ttlMs: number): Promise<IdempotencyRecord>;
}

/** Options of {@link createInMemoryIdempotencyStore}. */
export interface InMemoryIdempotencyStoreOptions {
  /** Most keys kept; the oldest go first. Default 100 000. */
  readonly maxKeys?: number;
  /** The clock (ms since the epoch). Default `Date.now`. */
  readonly now?: () => number;
}

/** An idempotency store in process memory (one gateway process, tests, in-process pools). */
export function createInMemoryIdempotencyStore(options: InMemoryIdempotencyStoreOptions = {}): IdempotencyStore {
  const { maxKeys = 100_000, now = Date.now } = options;
  const records = new Map<string, IdempotencyRecord & { expiresAt: number }>();
  const slot = (principal: string, key: string): string => `${principal}\u0000${key}`;
  return {
    async get(principal, key) {
      const found = records.get(slot(principal, key));
      if (!found || found.expiresAt <= now()) return null;
      return { requestHash: found.requestHash, result: found.result };
    },
    async put(principal, key, record, ttlMs) {
      const existing = await this.get(principal, key);
      if (existing) return existing;
      records.delete(slot(principal, key));
      records.set(slot(principal, key), { ...record, expiresAt: now() + ttlMs });
      // Maps iterate in insertion order, so the first keys are the oldest.
      for (const oldest of records.keys()) {
        if (records.size <= maxKeys) break;
        records.delete(oldest);
      }
      return record;
    },
  };
}
