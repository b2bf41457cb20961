import { ConflictError, NotFoundError } from '@memgate/core';
import type { ApiKeyRecord } from './api-key-record.js';
import type { ApiKeyRecordPatch, KeyRevocationListener, KeyStore } from './key-store.js';

/**
 * A {@link KeyStore} in process memory, for tests, single-process use and as the reference
 * implementation of the contract. Revocations notify listeners synchronously.
 */
export function createInMemoryKeyStore(): KeyStore {
  const byId = new Map<string, ApiKeyRecord>();
  const idByHash = new Map<string, string>();
  const listeners = new Set<KeyRevocationListener>();
  return {
    async insert(record) {
      if (byId.has(record.id) || idByHash.has(record.hash)) throw new ConflictError({ message: `API key ${record.id} already exists` });
      byId.set(record.id, record);
      idByHash.set(record.hash, record.id);
    },
    async findByHash(hash) {
      const id = idByHash.get(hash);
      return id === undefined ? null : (byId.get(id) ?? null);
    },
    async findById(id) {
      return byId.get(id) ?? null;
    },
    async update(id, patch: ApiKeyRecordPatch) {
      const current = byId.get(id);
      if (!current) throw new NotFoundError({ message: `API key ${id} not found` });
      const next = { ...current, ...patch };
      byId.set(id, next);
      if (patch.revokedAt !== undefined || patch.expiresAt !== undefined || patch.roles !== undefined || patch.permissions !== undefined) {
        for (const listener of listeners) listener({ id, hash: next.hash });
      }
      return next;
    },
    async list() {
      return [...byId.values()].sort((a, b) => b.createdAt - a.createdAt);
    },
    onRevocation(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
