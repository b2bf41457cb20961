import { ConflictError, type JsonValue } from '@memgate/core';
import { AuditBacklogFullError } from '../errors/audit-backlog-full-error.js';
import { genesisHash, type AuditEntry, type AuditEvent } from './audit-entry.js';
import type { AuditChainHead, AuditStore } from './audit-store.js';
import type { AuditCheckpointSigner } from './create-audit-checkpoint-signer.js';
import { computeAuditHash } from './compute-audit-hash.js';
import { redactSecrets } from './redact-secrets.js';
import { replaceNulCharacters } from './replace-nul-characters.js';

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
   * storage. U+0000 in any string becomes U+FFFD and secrets in `details` are redacted first.
   * @throws AuditBacklogFullError when full and `whenFull` is `reject`
   */
  record(event: AuditEvent): Promise<void>;
  /**
   * Queues an event like `record`, then resolves with its stored entry once the batch holding it is in
   * the store (so is every event queued before it). For a management call, answered only once its
   * entry is durable. It waits for nothing queued after it, forces no checkpoint, and `record` calls
   * made meanwhile still return at once. While the store fails it waits through the retries (the
   * event is kept, never dropped).
   * @throws AuditBacklogFullError when full and `whenFull` is `reject` (the event was not queued)
   */
  recordDurable(event: AuditEvent): Promise<AuditEntry>;
  /** Resolves when every event queued so far is in the store, after a checkpoint of the head (with `checkpoint`, when entries were written since the last). */
  flush(): Promise<void>;
  stats(): AuditLogStats;
}

/** A queued event, and who waits for it to be written. */
interface QueuedEvent {
  readonly event: Omit<AuditEntry, 'seq' | 'prevHash' | 'hash'>;
  /** Told the stored entry once its batch is appended (`recordDurable`). */
  readonly onWritten?: ((entry: AuditEntry) => void) | undefined;
}

/** Builds an {@link AuditLog} over a store. */
export function createAuditLog({ store, capacity = 10_000, batchSize = 100, whenFull = 'wait', retryDelayMs = 100, now = Date.now, onProblem, checkpoint }: AuditLogOptions): AuditLog {
  const queue: QueuedEvent[] = [];
  const roomWaiters: (() => void)[] = [];
  let flushWaiters: (() => void)[] = [];
  let head: AuditChainHead | null | undefined; // undefined: not read yet
  let draining = false;
  const counters = { written: 0, fullCount: 0, failedAppends: 0 };
  // Checkpoints keep the wall clock: `now` dates the entries alone.
  const signed = { seq: 0, at: Date.now() };
  /** Signs the head when due (or whenever it moved, with `force`); a failure waits for the next try. */
  const signHeadNow = async (force: boolean): Promise<void> => {
    if (!checkpoint || !head || head.seq === signed.seq) return;
    const at = Date.now();
    const due = force || head.seq - signed.seq >= (checkpoint.everyEntries ?? 100) || at - signed.at >= (checkpoint.everyMs ?? 60_000);
    if (!due) return;
    const target = head;
    try {
      await store.appendCheckpoint(checkpoint.signer.sign(target.seq, target.hash, new Date(at).toISOString()));
    } catch (error) {
      // A conflict: this key already signed this seq (an earlier try that landed after all).
      if (!ConflictError.isInstance(error)) {
        onProblem?.({ type: 'checkpoint-failed', error });
        return;
      }
    }
    signed.seq = target.seq;
    signed.at = at;
  };
  // One checkpoint at a time: `flush` may sign while the writer does, and must not sign a seq twice.
  let signing = Promise.resolve();
  const signHead = (force: boolean): Promise<void> => (signing = signing.then(() => signHeadNow(force)));

  const appendBatch = async (batch: readonly QueuedEvent[]): Promise<AuditEntry[]> => {
    if (head === undefined) head = await store.head();
    let prevHash = head?.hash ?? genesisHash;
    let seq = head?.seq ?? 0;
    const entries = batch.map(({ event }) => {
      seq += 1;
      const partial = { ...event, seq, prevHash };
      const entry: AuditEntry = { ...partial, hash: computeAuditHash(partial) };
      prevHash = entry.hash;
      return entry;
    });
    await store.append(entries);
    head = { seq, hash: prevHash };
    return entries;
  };

  const drain = async (): Promise<void> => {
    if (draining) return;
    draining = true;
    let attempt = 0;
    // Checked again after the last checkpoint: events queued while it was signed must not wait for the next `record`.
    do {
      while (queue.length > 0) {
        const batch = queue.slice(0, batchSize);
        try {
          const entries = await appendBatch(batch);
          queue.splice(0, batch.length);
          counters.written += batch.length;
          attempt = 0;
          batch.forEach((item, index) => item.onWritten?.(entries[index]!));
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
    } while (queue.length > 0);
    draining = false;
    const waiters = flushWaiters;
    flushWaiters = [];
    waiters.forEach((wake) => wake());
  };

  /** Cleans the event, waits for room (or refuses it) and queues it. */
  const enqueue = async (event: AuditEvent, onWritten?: (entry: AuditEntry) => void): Promise<void> => {
    while (queue.length >= capacity) {
      counters.fullCount += 1;
      onProblem?.({ type: 'queue-full', queued: queue.length });
      if (whenFull === 'reject') throw new AuditBacklogFullError({ message: `Audit log backlog is full (${capacity} events).` });
      await new Promise<void>((resolve) => roomWaiters.push(resolve));
    }
    // PostgreSQL stores no U+0000 in text: one would fail its batch on every retry and stall the log.
    const { details, ...rest } = replaceNulCharacters(event);
    queue.push({
      event: {
        ...rest,
        ...(details ? { details: redactSecrets(details) as Record<string, JsonValue> } : {}),
        ts: new Date(now()).toISOString(),
      },
      onWritten,
    });
    void drain();
  };

  return {
    record: (event) => enqueue(event),
    async recordDurable(event) {
      let written: (entry: AuditEntry) => void = () => undefined;
      const durable = new Promise<AuditEntry>((resolve) => (written = resolve));
      await enqueue(event, written);
      return durable;
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
}
