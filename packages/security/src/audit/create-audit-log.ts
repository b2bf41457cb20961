import { ConflictError, type JsonValue } from '@memgate/core';
import { AuditBacklogFullError } from '../errors/audit-backlog-full-error.js';
import { genesisHash, type AuditEntry, type AuditEvent } from './audit-entry.js';
import type { AuditChainHead, AuditStore } from './audit-store.js';
import { computeAuditHash } from './compute-audit-hash.js';
import { redactSecrets } from './redact-secrets.js';

/** Options of {@link createAuditLog}. */
export interface AuditLogOptions {
  store: AuditStore;
  /** Events queued at most before `record` applies backpressure. Default 10000. */
  capacity?: number;
  /** Entries per store append. Default 100. */
  batchSize?: number;
  /** When full: `wait` (default) makes `record` wait for room; `reject` throws `AuditBacklogFullError`. Neither drops. */
  whenFull?: 'wait' | 'reject';
  /** First retry delay after a failed append, ms, doubled up to 30 s. Default 100. */
  retryDelayMs?: number;
  /** Clock in epoch ms, for `ts`. Default `Date.now`. */
  now?: () => number;
  /** Told when the queue fills up and when an append fails (for metrics and alerts). */
  onProblem?: (problem: { type: 'queue-full'; queued: number } | { type: 'append-failed'; error: unknown; attempt: number }) => void;
}

/** Counters of an audit log, for `/metrics`. */
export interface AuditLogStats {
  /** Events waiting to be written. */
  queued: number;
  /** Entries written since start. */
  written: number;
  /** Callers currently waiting for room. */
  waiting: number;
  /** Times the queue was found full. */
  fullCount: number;
  /** Failed appends (each retried). */
  failedAppends: number;
}

/** An append-only, hash-chained audit log written off the request path. */
export interface AuditLog {
  /**
   * Queues an event; resolves once it is queued (not yet written), so the request does not wait on
   * storage. Secrets in `details` are redacted first.
   * @throws AuditBacklogFullError when full and `whenFull` is `reject`
   */
  record(event: AuditEvent): Promise<void>;
  /** Resolves when every event queued so far is in the store. */
  flush(): Promise<void>;
  stats(): AuditLogStats;
}

/** Builds an {@link AuditLog} over a store. */
export function createAuditLog({ store, capacity = 10_000, batchSize = 100, whenFull = 'wait', retryDelayMs = 100, now = Date.now, onProblem }: AuditLogOptions): AuditLog {
  const queue: Omit<AuditEntry, 'seq' | 'prevHash' | 'hash'>[] = [];
  const roomWaiters: (() => void)[] = [];
  let flushWaiters: (() => void)[] = [];
  let head: AuditChainHead | null | undefined; // undefined: not read yet
  let draining = false;
  const counters = { written: 0, fullCount: 0, failedAppends: 0 };

  const drain = async (): Promise<void> => {
    if (draining) return;
    draining = true;
    let attempt = 0;
    while (queue.length > 0) {
      const batch = queue.slice(0, batchSize);
      try {
        if (head === undefined) head = await store.head();
        let prevHash = head?.hash ?? genesisHash;
        let seq = head?.seq ?? 0;
        const entries = batch.map((event) => {
          seq += 1;
          const partial = { ...event, seq, prevHash };
          const entry: AuditEntry = { ...partial, hash: computeAuditHash(partial) };
          prevHash = entry.hash;
          return entry;
        });
        await store.append(entries);
        head = { seq, hash: prevHash };
        queue.splice(0, batch.length);
        counters.written += batch.length;
        attempt = 0;
        roomWaiters.splice(0, batch.length).forEach((wake) => wake());
      } catch (error) {
        head = undefined; // re-read: another replica may have moved the head (ConflictError)
        if (ConflictError.isInstance(error)) continue;
        attempt += 1;
        counters.failedAppends += 1;
        onProblem?.({ type: 'append-failed', error, attempt });
        const delay = Math.min(30_000, retryDelayMs * 2 ** (attempt - 1));
        await new Promise((resolve) => setTimeout(resolve, delay).unref?.());
      }
    }
    draining = false;
    const waiters = flushWaiters;
    flushWaiters = [];
    waiters.forEach((wake) => wake());
  };

  const log: AuditLog = {
    async record(event) {
      while (queue.length >= capacity) {
        counters.fullCount += 1;
        onProblem?.({ type: 'queue-full', queued: queue.length });
        if (whenFull === 'reject') throw new AuditBacklogFullError({ message: `Audit log backlog is full (${capacity} events).` });
        await new Promise<void>((resolve) => roomWaiters.push(resolve));
      }
      const { details, ...rest } = event;
      queue.push({
        ...rest,
        ...(details ? { details: redactSecrets(details) as Record<string, JsonValue> } : {}),
        ts: new Date(now()).toISOString(),
      });
      void drain();
    },
    flush() {
      if (queue.length === 0 && !draining) return Promise.resolve();
      return new Promise<void>((resolve) => {
        flushWaiters.push(resolve);
        void drain();
      });
    },
    stats: () => ({ queued: queue.length, waiting: roomWaiters.length, ...counters }),
  };
  return log;
}
