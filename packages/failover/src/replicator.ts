import { randomUUID } from 'node:crypto';
import { MemoryError, NotFoundError, ValidationError } from '@memgate/core';
import type { Disposable } from '@memgate/health';
import { applyJournalEntries } from './apply-journal-entry.js';
import type { FailoverPool } from './failover-pool.js';
import type { PoolReplication } from './pool-replication.js';
import { createTokenBucket } from './token-bucket.js';
import type { JournalEntry, MemberBacklog } from './write-journal.js';

/** Options of {@link createReplicator}. */
export interface ReplicatorOptions {
  /** A pool created with a `journal`. */
  readonly pool: FailoverPool;
  /** This replicator's lease owner id. Default: a random UUID (a restarted process is a new owner). */
  readonly owner?: string;
  /** Entries claimed per batch and member. Default 200. */
  readonly batchSize?: number;
  /** How long a claim is held (ms); a crashed replicator's claims are free again after it. Default 30 000. */
  readonly leaseMs?: number;
  /** Most entries delivered per second to one member, so a recovering member is not flooded. Default 5000. */
  readonly ratePerSecond?: number;
  /** Wait when nothing is due (ms). Default 100. */
  readonly idleMs?: number;
  /** First backoff of a failing member (ms), doubling per failure. Default 100. */
  readonly backoffBaseMs?: number;
  /** Backoff cap (ms). Default 30 000. */
  readonly backoffMaxMs?: number;
  /** Prune entries delivered everywhere, and reload backlog counts, at this interval (ms). Default 1000. */
  readonly housekeepingMs?: number;
  /** How long tombstones are kept after every member applied them (ms). Default 86 400 000 (24 h). */
  readonly tombstoneRetentionMs?: number;
  /** Told of errors that cannot be thrown. Default `console.warn`. */
  readonly onError?: (error: unknown) => void;
}

/** What a replicator reports as it goes. */
export type ReplicatorEvent =
  | { readonly type: 'delivered'; readonly member: string; readonly entries: number; readonly durationMs: number }
  | { readonly type: 'delivery-failed'; readonly member: string; readonly entryId: number; readonly error: string; readonly permanent: boolean; readonly retryInMs: number }
  | { readonly type: 'caught-up'; readonly member: string }
  | { readonly type: 'pruned'; readonly entries: number };

/** A replicator's figures. */
export interface ReplicatorStatistics {
  readonly running: boolean;
  readonly delivered: number;
  readonly failures: number;
  /** Delivered entries per second over the last 10 s. */
  readonly throughputPerSecond: number;
  /** Per member, from the journal at the last housekeeping. */
  readonly backlog: readonly MemberBacklog[];
}

/** Delivers a journaled pool's entries to every member. */
export interface Replicator {
  start(): void;
  /** Stops after the batches in flight, releasing what was claimed and not delivered. */
  stop(): Promise<void>;
  /** Delivers until every backlog is empty or `timeoutMs` (default 30 000) passes; for a replicator that is not started (both would claim under one owner). Resolves to whether every backlog is empty. */
  drain(timeoutMs?: number): Promise<boolean>;
  statistics(): ReplicatorStatistics;
  onEvent(listener: (event: ReplicatorEvent) => void): Disposable;
}

/**
 * Creates a replicator for a journaled pool: one loop per member claims that member's due entries under
 * a lease (so replicas sharing a journal split the work), applies them in journal order through the
 * member's breaker (idempotent replays, see `applyJournalEntries`), marks them delivered, and backs off
 * that member alone when it fails. A bounded rate per member spares a recovering one. Restarting
 * resumes from the journal.
 * @throws ValidationError when the pool has no journal
 */
export function createReplicator(options: ReplicatorOptions): Replicator {
  const replication = options.pool.replication;
  if (!replication) throw new ValidationError({ message: 'the replicator needs a pool created with a journal', field: 'pool' });
  const settings = {
    owner: options.owner ?? randomUUID(),
    batchSize: options.batchSize ?? 200,
    leaseMs: options.leaseMs ?? 30_000,
    rate: options.ratePerSecond ?? 5000,
    idleMs: options.idleMs ?? 100,
    backoffBaseMs: options.backoffBaseMs ?? 100,
    backoffMaxMs: options.backoffMaxMs ?? 30_000,
    housekeepingMs: options.housekeepingMs ?? 1000,
    tombstoneRetentionMs: options.tombstoneRetentionMs ?? 86_400_000,
  };
  const reportError = options.onError ?? ((error: unknown) => console.warn('[@memgate/failover replicator]', error));
  const listeners = new Set<(event: ReplicatorEvent) => void>();
  const emit = (event: ReplicatorEvent): void => {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        reportError(error);
      }
    }
  };
  const totals = { delivered: 0, failures: 0 };
  const recent: { at: number; entries: number }[] = [];
  let backlog: readonly MemberBacklog[] = [];
  let running = false;
  let loops: Promise<void>[] = [];
  const wakers = new Set<() => void>();
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      wakers.add(done);
    });

  // `batchLimit` grows after each delivered batch and shrinks after a failed one, so a batch fits in one
  // attempt timeout even on a slow member, and a member that was out starts with a batch of one (its trial).
  const members = replication.members.map((member) => ({ member, bucket: createTokenBucket(settings.rate), failures: 0, backoffUntil: 0, batchLimit: settings.batchSize, out: false }));

  /** One pass for one member: claim, apply, record. Resolves to how many were delivered (-1 when backing off or failed). */
  const pass = async (state: (typeof members)[number]): Promise<number> => {
    // A member whose breaker is open (or that is forced out) is waited for, not failed against: its
    // breaker's cooldown paces the retries. When it can serve again, its backoff is over at once.
    if (!replication.available().includes(state.member)) {
      state.out = true;
      return -1;
    }
    if (state.out) {
      state.out = false;
      state.failures = 0;
      state.backoffUntil = 0;
      state.batchLimit = 1;
    }
    if (Date.now() < state.backoffUntil) return -1;
    const allowance = Math.min(state.batchLimit, state.bucket.available());
    if (allowance < 1) return -1;
    const claimed = await replication.journal.claim({ pool: replication.pool, member: state.member, owner: settings.owner, limit: allowance, leaseMs: settings.leaseMs });
    if (claimed.length === 0) return 0;
    state.bucket.take(claimed.length);
    return deliver(replication, state, claimed);
  };

  const deliver = async (target: PoolReplication, state: (typeof members)[number], claimed: readonly JournalEntry[]): Promise<number> => {
    const started = performance.now();
    const done: number[] = [];
    let index = 0;
    try {
      // Runs of entries go in one call; on failure, one at a time to find the entry that fails.
      await target.executeOn(state.member, (provider, forwarded) => applyJournalEntries(provider, claimed, forwarded));
      done.push(...claimed.map((entry) => entry.id));
      index = claimed.length;
      if (claimed.length >= state.batchLimit) state.batchLimit = Math.min(settings.batchSize, state.batchLimit * 2);
    } catch {
      state.batchLimit = Math.max(1, Math.floor(claimed.length / 4));
      for (; index < claimed.length; index += 1) {
        const entry = claimed[index]!;
        try {
          await target.executeOn(state.member, (provider, forwarded) => applyJournalEntries(provider, [entry], forwarded));
          done.push(entry.id);
        } catch (error) {
          // An update of a memory that is gone, where the journal deletes it later: moot, not a failure. The
          // batch above may have applied that delete before it failed further on (this loop starts over).
          if (entry.op === 'update' && NotFoundError.isInstance(error) && (await deletedLater(target, claimed, index))) {
            done.push(entry.id);
            continue;
          }
          const permanent = MemoryError.isInstance(error) && !error.isRetryable;
          totals.failures += 1;
          const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
          if (permanent) {
            // A caller error on replay (e.g. the memory is missing): give this entry up, the member needs a resync; go on with the rest.
            await target.journal.markFailed(target.pool, state.member, [entry.id], { error: message, nextAttemptAt: Date.now(), permanent: true });
            emit({ type: 'delivery-failed', member: state.member, entryId: entry.id, error: message, permanent, retryInMs: 0 });
            continue;
          }
          state.failures += 1;
          const waitMs = Math.min(settings.backoffMaxMs, settings.backoffBaseMs * 2 ** Math.min(state.failures - 1, 20));
          state.backoffUntil = Date.now() + waitMs;
          await target.journal.markFailed(target.pool, state.member, [entry.id], { error: message, nextAttemptAt: state.backoffUntil });
          await target.journal.release(target.pool, state.member, claimed.slice(index + 1).map((rest) => rest.id), state.backoffUntil);
          emit({ type: 'delivery-failed', member: state.member, entryId: entry.id, error: message, permanent, retryInMs: waitMs });
          break;
        }
      }
    }
    if (done.length > 0) {
      await target.journal.markDelivered(target.pool, state.member, done);
      target.tracker.delivered(state.member, done);
      totals.delivered += done.length;
      recent.push({ at: Date.now(), entries: done.length });
      emit({ type: 'delivered', member: state.member, entries: done.length, durationMs: performance.now() - started });
    }
    if (index >= claimed.length) state.failures = 0;
    return index >= claimed.length ? done.length : -1;
  };

  const housekeeping = async (): Promise<void> => {
    const removed = await replication.journal.prune(replication.pool, { tombstoneRetentionMs: settings.tombstoneRetentionMs });
    if (removed > 0) emit({ type: 'pruned', entries: removed });
    backlog = await replication.refresh();
  };

  const memberLoop = async (state: (typeof members)[number]): Promise<void> => {
    let wasBehind = false;
    while (running) {
      try {
        const delivered = await pass(state);
        if (delivered > 0) wasBehind = true;
        if (delivered === 0 && wasBehind && replication.tracker.behind(state.member) === 0) {
          wasBehind = false;
          emit({ type: 'caught-up', member: state.member });
        }
        if (delivered <= 0) await sleep(delivered < 0 ? Math.min(settings.idleMs, Math.max(1, state.backoffUntil - Date.now())) : settings.idleMs);
      } catch (error) {
        reportError(error);
        await sleep(settings.idleMs);
      }
    }
  };
  const housekeepingLoop = async (): Promise<void> => {
    while (running) {
      await housekeeping().catch(reportError);
      await sleep(settings.housekeepingMs);
    }
  };

  return {
    start() {
      if (running) return;
      running = true;
      loops = [...members.map(memberLoop), housekeepingLoop()];
    },
    async stop() {
      running = false;
      for (const wake of [...wakers]) wake();
      await Promise.all(loops);
      loops = [];
    },
    async drain(timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs;
      await replication.refresh();
      for (const state of members) state.backoffUntil = 0;
      while (Date.now() < until && members.some((state) => replication.tracker.behind(state.member) > 0)) {
        let progress = 0;
        for (const state of members) progress += Math.max(0, await pass(state));
        // Nothing moved: a member is backing off or its breaker is still cooling down.
        if (progress === 0) await new Promise((resolve) => setTimeout(resolve, Math.min(settings.idleMs, 10)));
      }
      await housekeeping();
      return backlog.every((figures) => figures.entries === 0);
    },
    statistics() {
      const since = Date.now() - 10_000;
      while (recent.length > 0 && recent[0]!.at < since) recent.shift();
      return { running, ...totals, throughputPerSecond: recent.reduce((sum, item) => sum + item.entries, 0) / 10, backlog };
    },
    onEvent(listener) {
      listeners.add(listener);
      return { dispose: () => void listeners.delete(listener) };
    },
  };
}

/**
 * Whether the journal deletes the memory of `claimed[index]` after it: a delete later in this claim, or
 * (an earlier claim, another replica) the memory's latest entry in the journal is a delete.
 */
async function deletedLater(target: PoolReplication, claimed: readonly JournalEntry[], index: number): Promise<boolean> {
  const { memoryId } = claimed[index]!;
  if (claimed.slice(index + 1).some((later) => later.memoryId === memoryId && later.op === 'delete')) return true;
  return (await target.journal.tombstones(target.pool, [memoryId]).catch(() => new Set<string>())).has(memoryId);
}
