import { ConflictError } from '@memgate/core';
import { genesisHash, type AuditEntry } from './audit-entry.js';
import type { AuditCheckpoint } from './audit-checkpoint.js';
import type { AuditStore } from './audit-store.js';

/** An {@link AuditStore} in process memory. Entries are frozen copies, so callers cannot edit them in place. */
export function createInMemoryAuditStore(): AuditStore {
  const entries: AuditEntry[] = [];
  const checkpoints: AuditCheckpoint[] = [];
  return {
    async head() {
      const last = entries.at(-1);
      return last ? { seq: last.seq, hash: last.hash } : null;
    },
    async append(batch) {
      const last = entries.at(-1);
      const first = batch[0];
      if (!first) return;
      if (first.prevHash !== (last?.hash ?? genesisHash) || first.seq !== (last?.seq ?? 0) + 1) {
        throw new ConflictError({ message: 'audit chain head moved; re-chain and retry' });
      }
      entries.push(...batch.map((entry) => Object.freeze(structuredClone(entry))));
    },
    async list({ afterSeq = 0, limit = 1000 } = {}) {
      return entries.filter((entry) => entry.seq > afterSeq).slice(0, limit);
    },
    async query({ actor, action, outcome, resourceType, resourceId, since, until, afterSeq = 0, limit = 100 }) {
      const sinceMs = since === undefined ? undefined : Date.parse(since);
      const untilMs = until === undefined ? undefined : Date.parse(until);
      return entries
        .filter(
          (entry) =>
            entry.seq > afterSeq &&
            (actor === undefined || entry.actor === actor) &&
            (action === undefined || entry.action === action) &&
            (outcome === undefined || entry.outcome === outcome) &&
            (resourceType === undefined || entry.resourceType === resourceType) &&
            (resourceId === undefined || entry.resourceId === resourceId) &&
            (sinceMs === undefined || Date.parse(entry.ts) >= sinceMs) &&
            (untilMs === undefined || Date.parse(entry.ts) < untilMs),
        )
        .slice(0, Math.min(Math.max(1, limit), 1000));
    },
    async appendCheckpoint(checkpoint) {
      // As the PostgreSQL store: one checkpoint per seq and key.
      if (checkpoints.some((held) => held.seq === checkpoint.seq && held.keyId === checkpoint.keyId)) {
        throw new ConflictError({ message: `a checkpoint of seq ${checkpoint.seq} signed by ${checkpoint.keyId} already exists` });
      }
      checkpoints.push(Object.freeze({ ...checkpoint }));
    },
    async listCheckpoints() {
      return [...checkpoints].sort((a, b) => a.seq - b.seq || (a.keyId < b.keyId ? -1 : a.keyId > b.keyId ? 1 : 0));
    },
  };
}
