import type { JsonValue } from '@memgate/core';

/** The kind of a journaled write. A `delete` entry is a tombstone: it stays until every member applied it. */
export type JournalOperation = 'add' | 'update' | 'delete';

/** A write to append to the journal, before any member sees it. */
export interface JournalEntryInput {
  readonly pool: string;
  readonly op: JournalOperation;
  readonly memoryId: string;
  /** What to replay: the full record for an add, the patch (with its `updatedAt`) for an update, `null` for a delete. */
  readonly payload: JsonValue | null;
  /** Every member that must apply it (one pending delivery each). */
  readonly members: readonly string[];
}

/** A durable journal entry. */
export interface JournalEntry {
  /** Position in the journal: increases with every append, so it orders entries (and versions) per memory. */
  readonly id: number;
  readonly pool: string;
  readonly op: JournalOperation;
  readonly memoryId: string;
  /** The memory's version: monotonically increasing per memory (the journal position of this write). */
  readonly version: number;
  readonly payload: JsonValue | null;
  /** Milliseconds since the epoch. */
  readonly createdAt: number;
  /** Size of the serialised payload in bytes (counts against the backlog bound). */
  readonly bytes: number;
}

/** A member's undelivered entries. */
export interface MemberBacklog {
  readonly member: string;
  /** Entries not yet applied (pending or failed). */
  readonly entries: number;
  readonly bytes: number;
  /** Entries given up on after a non-retryable error: the member needs a resync. */
  readonly failed: number;
  /** Oldest undelivered entry's `createdAt` (ms), or null. */
  readonly oldestAt: number | null;
}

/** One undelivered (pending or failed) delivery: which member still misses which memory's entry. */
export interface PendingDelivery {
  readonly member: string;
  readonly entryId: number;
  readonly memoryId: string;
  readonly bytes: number;
}

/** The lease owner of a pool's own write path, given the process's lease owner id (see `FailoverPoolOptions.leaseOwner`). */
export function writePathLeaseOwner(owner: string): string {
  return `${owner}/write`;
}

/** Who holds new deliveries, and for how long (ms). */
export interface JournalLease {
  readonly owner: string;
  readonly leaseMs: number;
}

/** Options of {@link WriteJournal.claim}. */
export interface JournalClaimOptions {
  readonly pool: string;
  readonly member: string;
  /** Who claims (a replicator's id): the lease holder. */
  readonly owner: string;
  /** Most entries to return. */
  readonly limit: number;
  /** How long the claim is held (ms); past it another replicator may claim the entries again. */
  readonly leaseMs: number;
}

/** How a delivery failed. */
export interface JournalFailure {
  readonly error: string;
  /** When the entry may be claimed again (ms since the epoch). */
  readonly nextAttemptAt: number;
  /** A non-retryable failure: the entry is given up on (state `failed`) and the member needs a resync. */
  readonly permanent?: boolean;
}

/**
 * The write journal of a pool (`@memgate/failover` ships an in-memory one; `@memgate/state` persists it).
 * Appends are durable when the promise resolves: the pool acknowledges nothing before that.
 */
export interface WriteJournal {
  /**
   * Appends entries (one transaction) with a pending delivery per member; resolves when durable. With
   * `lease`, every delivery starts leased to `lease.owner` (the write path applying them itself), so no
   * replicator claims them until the owner marks them delivered or releases them (or the lease runs out).
   */
  append(entries: readonly JournalEntryInput[], lease?: JournalLease): Promise<JournalEntry[]>;
  /** Removes entries whose write certainly reached no member (the pool's caller got a definite error). */
  discard(pool: string, entryIds: readonly number[]): Promise<void>;
  /** Marks deliveries applied (idempotent; clears any lease). */
  markDelivered(pool: string, member: string, entryIds: readonly number[]): Promise<void>;
  /** Records a failed delivery: one more attempt, the error, the next attempt time; releases the lease. */
  markFailed(pool: string, member: string, entryIds: readonly number[], failure: JournalFailure): Promise<void>;
  /** Releases every lease `owner` holds in the pool (a crashed process's, by the owner id it had); resolves to how many. */
  releaseOwner(pool: string, owner: string): Promise<number>;
  /** Releases leases without counting an attempt (a replicator stopping or backing off a member). */
  release(pool: string, member: string, entryIds: readonly number[], nextAttemptAt?: number): Promise<void>;
  /**
   * Claims the member's next due pending entries, oldest first, under a lease. Never returns an entry
   * whose memory has an earlier undelivered entry for that member that is leased or not due (order per
   * memory), nor an entry another live lease holds (no double delivery).
   */
  claim(options: JournalClaimOptions): Promise<JournalEntry[]>;
  /** Undelivered entries per member of the pool. */
  backlog(pool: string): Promise<MemberBacklog[]>;
  /** Every undelivered delivery of the pool, by entry id (what a process that did not append them needs for read-your-writes). */
  pendingDeliveries(pool: string): Promise<PendingDelivery[]>;
  /** The entries of these memories a member has not applied yet (pending or failed), oldest first: what a read from it must add on top. */
  pendingEntriesFor(pool: string, member: string, memoryIds: readonly string[]): Promise<JournalEntry[]>;
  /** The highest entry id of the pool so far (0 when empty); with `before` (ms), among entries created before then. */
  position(pool: string, before?: number): Promise<number>;
  /** Marks every undelivered entry of a member up to `upTo` delivered (after a full resync); resolves to how many. */
  clearMember(pool: string, member: string, upTo: number): Promise<number>;
  /** Latest tombstones (delete entries still kept) among these memory ids. */
  tombstones(pool: string, memoryIds: readonly string[]): Promise<Set<string>>;
  /**
   * Removes entries delivered to every member. Tombstones are kept for `tombstoneRetentionMs` more
   * (default 0) so reconciliation can still tell a deletion from a missing copy.
   * @returns how many entries were removed
   */
  prune(pool: string, options?: { readonly tombstoneRetentionMs?: number }): Promise<number>;
}

/** Size in bytes of a payload as the journal stores it (UTF-8 JSON). */
export function journalPayloadBytes(payload: JsonValue | null): number {
  return payload === null ? 0 : Buffer.byteLength(JSON.stringify(payload));
}
