import { ConflictError, type JsonValue } from '@memgate/core';
import { AuditBacklogFullError } from '../errors/audit-backlog-full-error.js';
import { genesisHash, type AuditEntry, type AuditEvent } from './audit-entry.js';
import type { AuditChainHead, AuditStore } from './audit-store.js';
import type { AuditCheckpointSigner } from './create-audit-checkpoint-signer.js';
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
  /** Told when the queue fills up and when an append (of entries or of a checkpoint) fails (for metrics and alerts). */
  onProblem?: (problem: { type: 'queue-full'; queued: number } | { type: 'append-failed'; error: unknown; attempt: number } | { type: 'checkpoint-failed'; error: unknown }) => void;
  /**
   * Signed checkpoints of the head: after the append that brings `everyEntries` (default 100) new
   * entries or comes `everyMs` (default 60 s) after the last checkpoint, and at `flush` when entries
   * were written since. A failed checkpoint is reported and tried again after the next append.
   */
  checkpoint?: { signer: AuditCheckpointSigner; everyEntries?: number; everyMs?: number };
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
export function createAuditLog({ store, capacity = 10_000, batchSize = 100, whenFull = 'wait', retryDelayMs = 100, now = Date.now, onProblem, checkpoint }: AuditLogOptions): AuditLog {
  const queue: Omit<AuditEntry, 'seq' | 'prevHash' | 'hash'>[] = [];
  const roomWaiters: (() => void)[] = [];
  let flushWaiters: (() => void)[] = [];
  let head: AuditChainHead | null | undefined; // undefined: not read yet
  let draining = false;
  const counters = { written: 0, fullCount: 0, failedAppends: 0 };
  // Checkpoints keep the wall clock: `now` dates the entries alone.
  const signed = { seq: 0, at: Date.now() };
  /** Signs the head when due (or whenever it moved, with `force`); a failure waits for the next try. */
  const signHead = async (force: boolean): Promise<void> => {
    if (!checkpoint || !head || head.seq === signed.seq) return;
    const at = Date.now();
    const due = force || head.seq - signed.seq >= (checkpoint.everyEntries ?? 100) || at - signed.at >= (checkpoint.everyMs ?? 60_000);
    if (!due) return;
    try {
      await store.appendCheckpoint(checkpoint.signer.sign(head.seq, head.hash, new Date(at).toISOString()));
      signed.seq = head.seq;
      signed.at = at;
    } catch (error) {
      onProblem?.({ type: 'checkpoint-failed', error });
    }
  };

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
        await signHead(false);
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
    await signHead(flushWaiters.length > 0);
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
      // PostgreSQL stores no U+0000 in text: one would fail its batch on every retry and stall the log.
      const { details, ...rest } = withoutNul(event);
      queue.push({
        ...rest,
        ...(details ? { details: redactSecrets(details) as Record<string, JsonValue> } : {}),
        ts: new Date(now()).toISOString(),
      });
      void drain();
    },
    flush() {
      if (queue.length === 0 && !draining) return signHead(true);
      return new Promise<void>((resolve) => {
        flushWaiters.push(resolve);
        void drain();
      });
    },
    stats: () => ({ queued: queue.length, waiting: roomWaiters.length, ...counters }),
  };
  return log;
}

/** The event with U+0000 replaced by U+FFFD in every string, fields and details alike. */
function withoutNul<Value>(value: Value): Value {
  if (typeof value === 'string') return (value.includes('\u0000') ? value.replaceAll('\u0000', '\uFFFD') : value) as Value;
  if (Array.isArray(value)) return value.map(withoutNul) as Value;
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [withoutNul(key), withoutNul(item)])) as Value;
  return value;
}
