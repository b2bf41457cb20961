import { generateMemoryId, hasScope, validateId, validatePatch, MemoryError, NotFoundError, ProviderUnavailableError, scopeFilter, type JsonValue, type MemoryProviderV1NewRecord, type MemoryProviderV1Patch, type MemoryRecord, type MemoryScope } from '@memgate/core';
import { applyJournalEntries } from './apply-journal-entry.js';
import { admitMembers, type BehindTracker } from './behind-tracker.js';
import { latestWritesUnavailable } from './latest-writes-unavailable.js';
import { replayOntoRecord } from './replay-onto-record.js';
import type { FailoverCallOptions } from './failover-call-options.js';
import type { PoolMember } from './pool-member.js';
import type { Router, RouterCall } from './router.js';
import type { PoolOperation, RoutingDecision } from './routing-decision.js';
import type { JournalEntry, JournalEntryInput, WriteJournal } from './write-journal.js';

/** Bounds of a member's backlog, past which writes are refused. */
export interface BacklogLimit {
  /** Undelivered entries per member. Default 100 000. */
  readonly entries?: number;
  /** Undelivered payload bytes per member. Default 256 MiB. */
  readonly bytes?: number;
  /** The `retryAfterMs` of the refusal. Default 30 000. */
  readonly retryAfterMs?: number;
}

/** Settings of {@link createJournaledWrites}. */
export interface JournaledWritesSettings {
  readonly pool: string;
  readonly members: readonly PoolMember[];
  readonly router: Router;
  readonly journal: WriteJournal;
  readonly tracker: BehindTracker;
  readonly writeQuorum: number;
  readonly backlogLimit?: BacklogLimit;
  /** Told once per episode that a member's backlog passed the bound. */
  readonly onResyncNeeded: (member: string, backlog: { entries: number; bytes: number }) => void;
  /** Told when a member told of by `onResyncNeeded` is found back under the bound (at the next write). */
  readonly onResyncCleared: (member: string) => void;
  readonly reportError: (error: unknown) => void;
  /** The members that can serve now (active, breaker not open). */
  readonly available: () => string[];
  /** The lease owner of this write path (see `writePathLeaseOwner`). */
  readonly leaseOwner: string;
}

/** The pool's journaled write operations. */
export interface JournaledWrites {
  add(records: readonly MemoryProviderV1NewRecord[], options?: FailoverCallOptions): Promise<MemoryRecord[]>;
  update(id: string, patch: MemoryProviderV1Patch, options?: FailoverCallOptions): Promise<MemoryRecord>;
  delete(id: string, options?: FailoverCallOptions): Promise<void>;
  deleteAll(scope: MemoryScope, options?: FailoverCallOptions): Promise<{ deleted: number }>;
  /** Members past the backlog bound at the last write: they need a full resync (or to catch up). */
  needingResync(): readonly string[];
}

/**
 * The write path with a journal: bounds check, journal entry (durable), the write on one member chosen
 * by the strategy with fallback (read-your-writes admission: no member with pending entries for the same
 * memory), replays onto more members until `writeQuorum` hold it, then the acknowledgement. The entry
 * stays pending for the other members, for the replicator.
 */
export function createJournaledWrites(settings: JournaledWritesSettings): JournaledWrites {
  const { pool, journal, tracker, router } = settings;
  const limit = { entries: settings.backlogLimit?.entries ?? 100_000, bytes: settings.backlogLimit?.bytes ?? 256 * 1024 * 1024, retryAfterMs: settings.backlogLimit?.retryAfterMs ?? 30_000 };
  const names = settings.members.map((member) => member.name);
  const overBound = new Set<string>();

  const checkBounds = (): void => {
    for (const member of names) {
      const backlog = { entries: tracker.behind(member), bytes: tracker.behindBytes(member) };
      if (backlog.entries < limit.entries && backlog.bytes < limit.bytes) {
        if (overBound.delete(member)) settings.onResyncCleared(member);
        continue;
      }
      if (!overBound.has(member)) {
        overBound.add(member);
        settings.onResyncNeeded(member, backlog);
      }
      throw new ProviderUnavailableError({
        message: `pool ${pool}: member ${member} is too far behind (${backlog.entries} entries, ${backlog.bytes} bytes undelivered); writes are refused until it catches up or is resynced`,
        providerId: pool,
        retryAfterMs: limit.retryAfterMs,
      });
    }
  };

  /**
   * @param journalOnly for a delete or an update: the answer when every member that is up still misses earlier writes
   * of the memory (their only holder died before the replicator copied them). Such a member cannot take the write now
   * (the earlier writes would land after it), and needs no copy for it either: the replicator applies it after them,
   * in order, and reads see it through the pending-writes view meanwhile. When it throws, the entry is discarded.
   */
  const write = async <T>(operation: PoolOperation, inputs: readonly Omit<JournalEntryInput, 'pool' | 'members'>[], call: RouterCall<T>, options: FailoverCallOptions = {}, journalOnly?: (own: readonly JournalEntry[]) => T | Promise<T>): Promise<T> => {
    checkBounds();
    const memoryIds = inputs.map((input) => input.memoryId);
    // Admission before the append: only earlier entries of these memories may hold a member back.
    const up = settings.available();
    // With every breaker open the router's panic rule decides (it tries a member whose probes vouch for it):
    // offer it the members that may take this write in order, those missing no earlier write of these memories.
    const preferred =
      up.length > 0
        ? admitMembers(tracker, up, operation === 'add' ? [] : memoryIds)
        : new Set(settings.members.filter((member) => member.adminState === 'active' && (operation === 'add' || !tracker.pendingFor(member.name, memoryIds))).map((member) => member.name));
    const callerEnded = (): boolean => options.signal?.aborted === true || (options.deadline !== undefined && Date.now() >= options.deadline);
    const everyMemberLags = preferred.size === 0 && up.length > 0 && !callerEnded();
    if (everyMemberLags && !journalOnly) throw latestWritesUnavailable(pool, memoryIds);
    let entries: JournalEntry[];
    try {
      // Leased to this write path while it applies them itself: a replicator applying the same entry late
      // (after a newer write of the memory went straight to that member) would undo that newer write.
      const leaseMs = Math.max(0, (options.deadline ?? Date.now() + 30_000) - Date.now()) + 5000;
      entries = await journal.append(inputs.map((input) => ({ ...input, pool, members: names })), { owner: settings.leaseOwner, leaseMs });
    } catch (error) {
      // Never acknowledged without a journal: nothing was written anywhere.
      throw new ProviderUnavailableError({ message: `pool ${pool}: the write journal could not be written, so nothing was written`, providerId: pool, cause: error, isRetryable: false });
    }
    tracker.appended(entries, names);
    const handedOver = new Set<string>();
    try {
      return await apply(entries, handedOver);
    } finally {
      // The members that did not take the write here get it from the replicator, from now on.
      const ids = entries.map((entry) => entry.id);
      await Promise.all(names.filter((member) => !handedOver.has(member)).map((member) => journal.release(pool, member, ids).catch(settings.reportError)));
    }

    /** Runs the write on members; adds to `handedOver` the members whose deliveries need no release (delivered, or discarded). */
    async function apply(entries: JournalEntry[], handedOver: Set<string>): Promise<T> {
      const ids = entries.map((entry) => entry.id);
      let journalOnlyFailed = false;
      const viaJournalOnly = async (): Promise<T> => {
        try {
          return await journalOnly!(entries);
        } catch (error) {
          journalOnlyFailed = true;
          throw error;
        }
      };
      if (everyMemberLags) {
        try {
          return await viaJournalOnly();
        } catch (error) {
          await discardOwn(ids, handedOver);
          throw error;
        }
      }
      const ownEntries = new Set(ids);
      let attempts = 0;
      let served: string | undefined;
      // Members where an attempt of this write failed retryably: it may have been applied there all the same.
      const uncertain = new Set<string>();
      const execute = (admit: ReadonlySet<string>): Promise<T> =>
        router.execute(
          'write',
          operation,
          async (provider, forwarded) => {
            try {
              const value = await call(provider, forwarded);
              served = provider.name;
              return value;
            } catch (error) {
              // A retried delete that finds nothing where its earlier attempt may have landed deleted it then: a success, not a 404 (which would drop the tombstone).
              if (operation === 'delete' && NotFoundError.isInstance(error) && uncertain.has(provider.name)) {
                served = provider.name;
                return undefined as T;
              }
              if (MemoryError.isInstance(error) && error.isRetryable) uncertain.add(provider.name);
              throw error;
            }
          },
          { ...options, onDecision: (made: RoutingDecision) => ((attempts += made.attempts.length), options.onDecision?.(made)) },
          (name) => admit.has(name),
        );
      let result: T;
      try {
        try {
          result = await execute(preferred);
        } catch (error) {
          // The caught-up members failed: members that are behind on other memories can still take this write (nothing of these memories is pending there).
          const rest = settings.available().filter((member) => !preferred.has(member));
          const others = new Set(rest.filter((member) => operation === 'add' || !tracker.pendingFor(member, memoryIds, ownEntries)));
          if (!(MemoryError.isInstance(error) && error.isRetryable)) throw error;
          // The members tried failed and the rest lag on this memory (see `journalOnly`); never when the caller gave up.
          if (others.size === 0 && journalOnly && rest.length > 0 && attempts > 0 && !callerEnded()) return await viaJournalOnly();
          if (others.size === 0 && rest.length > 0 && operation !== 'add' && attempts > 0 && !callerEnded()) throw latestWritesUnavailable(pool, memoryIds, error);
          if (others.size === 0) throw error;
          result = await execute(others);
        }
      } catch (error) {
        // A caller error, or no attempt at all: certainly written nowhere, so nothing to replay. Otherwise it may have landed: replay it.
        // A journal-only answer that failed (no member can show the memory with it) was applied nowhere either.
        if ((MemoryError.isInstance(error) && !error.isRetryable) || attempts === 0 || journalOnlyFailed) await discardOwn(ids, handedOver);
        throw error;
      }
      const holders = [served!];
      // Members that cannot hold the write now (down, breaker open, or behind on these memories) lower the
      // quorum for this write: it is journaled, so they get it when they are back (a sloppy quorum, as
      // Cassandra's hinted handoff). Only members that are up count towards `writeQuorum`.
      let unreachable = 0;
      const activeMembers = settings.members.filter((member) => member.adminState === 'active').length;
      const upNow = new Set(settings.available());
      for (const member of settings.members) {
        if (holders.length >= settings.writeQuorum) break;
        if (holders.includes(member.name) || member.adminState !== 'active') continue;
        if (!upNow.has(member.name) || tracker.pendingFor(member.name, memoryIds, ownEntries)) {
          unreachable += 1;
          continue;
        }
        try {
          await router.executeOn(member.name, 'write', 'replicate', (provider, forwarded) => applyJournalEntries(provider, entries, forwarded), { ...options, onDecision: undefined });
          holders.push(member.name);
        } catch (error) {
          // Not a holder now; the replicator delivers later. A member that failed retryably is down for this write.
          if (MemoryError.isInstance(error) && error.isRetryable) unreachable += 1;
        }
      }
      // The holders' deliveries are marked and the others' released in one go (the state store's journal
      // sends them as one statement, with those of concurrent writes), before the acknowledgement. The
      // journal first: a tracker reload reading the journal in between must not find these pending again.
      const others = names.filter((member) => !holders.includes(member));
      const marked = new Set<string>();
      await Promise.all([
        ...holders.map((member) =>
          journal.markDelivered(pool, member, ids).then(
            () => void marked.add(member),
            settings.reportError,
          ),
        ),
        ...others.map((member) => journal.release(pool, member, ids).catch(settings.reportError)),
      ]);
      // A holder whose delivery could not be marked stays behind on these memories here too: its entry is
      // replayed (idempotently) once the write path's lease runs out, and until then no newer write of the
      // memory goes straight to it, where that replay could land after it (a delete undone).
      for (const member of holders) if (marked.has(member)) tracker.delivered(member, ids);
      for (const member of names) handedOver.add(member);
      if (holders.length < Math.min(settings.writeQuorum, Math.max(1, activeMembers - unreachable))) {
        throw new ProviderUnavailableError({ message: `pool ${pool}: the write reached ${holders.length} of ${settings.writeQuorum} members (writeQuorum); it is journaled and will be replicated`, providerId: pool });
      }
      return result;
    }
  };

  /** Drops this write's own entries: it was applied nowhere, and will not be. */
  async function discardOwn(ids: readonly number[], handedOver: Set<string>): Promise<void> {
    await journal.discard(pool, ids).catch(settings.reportError);
    for (const member of names) {
      tracker.delivered(member, ids);
      handedOver.add(member);
    }
  }

  /**
   * The answer of a journal-only update: the memory as a member that is up will hold it once it has applied
   * its pending entries, this update last. A member whose copy and earlier pending entries say the memory is
   * deleted makes it a 404; when no member up can show the memory at all, a retryable 503.
   */
  const journaledUpdate = async (id: string, patch: MemoryProviderV1Patch, own: readonly JournalEntry[], options?: FailoverCallOptions): Promise<MemoryRecord> => {
    // No member checks this patch: the journal must not hold one that every member would refuse.
    validateId(id);
    validatePatch(patch);
    const ownIds = new Set(own.map((entry) => entry.id));
    for (const member of settings.available()) {
      const before = await router
        .executeOn(member, 'read', 'get', async (provider, forwarded) => {
          const [held, pending] = await Promise.all([provider.get(id, forwarded), journal.pendingEntriesFor(pool, member, [id])]);
          const earlier = pending.filter((entry) => !ownIds.has(entry.id));
          return { record: replayOntoRecord(held, earlier), deleted: earlier.some((entry) => entry.op === 'delete') };
        }, { ...options, onDecision: undefined })
        .catch(() => undefined);
      if (before?.record === null && before.deleted) throw new NotFoundError({ message: `memory ${id} not found`, providerId: pool });
      if (before?.record) return replayOntoRecord(before.record, own)!;
    }
    throw latestWritesUnavailable(pool, [id]);
  };

  const addPayload = (record: MemoryProviderV1NewRecord): JsonValue => record as unknown as JsonValue;
  return {
    needingResync: () => [...overBound],
    add(records, options) {
      if (!Array.isArray(records)) return write('add', [], (provider, forwarded) => provider.add(records, forwarded), options);
      const at = new Date().toISOString();
      // Canonical id and creation time, fixed before routing, so every member (and every replay) stores the same record.
      const canonical = records.map((record: MemoryProviderV1NewRecord) => (record !== null && typeof record === 'object' ? { ...record, id: record.id ?? generateMemoryId(), createdAt: record.createdAt ?? at } : record));
      const valid = canonical.filter((record) => record !== null && typeof record === 'object' && typeof record.id === 'string');
      return write('add', valid.map((record) => ({ op: 'add' as const, memoryId: record.id!, payload: addPayload(record) })), (provider, forwarded) => provider.add(canonical, forwarded), options);
    },
    update(id, patch, options) {
      const stamped = patch !== null && typeof patch === 'object' ? { ...patch, updatedAt: patch.updatedAt ?? new Date().toISOString() } : patch;
      const valid = typeof id === 'string';
      return write('update', valid ? [{ op: 'update', memoryId: id, payload: stamped as unknown as JsonValue }] : [], (provider, forwarded) => provider.update(id, stamped, forwarded), options, valid ? (own) => journaledUpdate(id, stamped, own, options) : undefined);
    },
    delete(id, options) {
      return write('delete', typeof id === 'string' ? [{ op: 'delete', memoryId: id, payload: null }] : [], (provider, forwarded) => provider.delete(id, forwarded), options, () => undefined);
    },
    async deleteAll(scope, options) {
      // Each memory in the scope gets a tombstone, so members that miss the deleteAll still delete exactly these.
      const ids = await listIds(scope, options);
      return write('deleteAll', ids.map((memoryId) => ({ op: 'delete' as const, memoryId, payload: null })), (provider, forwarded) => provider.deleteAll(scope, forwarded), options);
    },
  };

  async function listIds(scope: MemoryScope, options?: FailoverCallOptions): Promise<string[]> {
    if (scope === null || typeof scope !== 'object' || !hasScope(scope)) return []; // the member's deleteAll names the field
    const filter = scopeFilter(scope);
    const admitted = admitMembers(tracker, settings.available());
    const ids: string[] = [];
    for (let page = 1; page <= 10_000; page += 1) {
      const listed = await router.execute('read', 'list', (provider, forwarded) => provider.list(filter, { page, pageSize: 1000 }, forwarded), { ...options, onDecision: undefined }, (name) => admitted.has(name));
      ids.push(...listed.items.map((record) => record.id));
      if (listed.items.length < 1000) break;
    }
    return ids;
  }
}
