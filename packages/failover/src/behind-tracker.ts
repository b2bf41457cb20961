import { PendingEntries, type PendingEntry } from './pending-entries.js';
import type { JournalEntry, MemberBacklog, PendingDelivery } from './write-journal.js';

/**
 * The pool's synchronous view of which members are "behind" (have undelivered journal entries), read
 * on every request by the read-your-writes filter. Entries appended or delivered by this process are
 * tracked exactly, per memory; entries of other gateway replicas arrive with `refresh` (the journal's
 * backlog counts), and a member counts as behind while either view says so. `reload` replaces the
 * per-memory view with the journal's (at start, and when another replica appended or delivered entries).
 */
export interface BehindTracker {
  /** New entries, pending on these members. */
  appended(entries: readonly JournalEntry[], members: readonly string[]): void;
  /** Entries a member has applied. */
  delivered(member: string, entryIds: readonly number[]): void;
  /** The journal's counts (every replica's entries). */
  refresh(backlog: readonly MemberBacklog[]): void;
  /** Undelivered entries of a member. */
  behind(member: string): number;
  /** Their payload bytes. */
  behindBytes(member: string): number;
  /** Whether a member has an undelivered entry (known to this process) for one of these memories. */
  pendingFor(member: string, memoryIds: readonly string[], exceptEntryIds?: ReadonlySet<number>): boolean;
  /** The memories a member has undelivered entries for (known to this process), each once. */
  pendingMemoryIds(member: string): string[];
  /**
   * Marks a member that joined the pool without its data (a second member added to a pool that did not
   * journal): it is not read from until {@link BehindTracker.joined} (its resync is done).
   */
  joining(member: string): void;
  /** The member's resync is done: it is read from like any other. */
  joined(member: string): void;
  /** Whether a member is still joining. */
  isJoining(member: string): boolean;
  /** Forgets a member's entries up to an id (after a resync). */
  cleared(member: string, upTo: number): void;
  /**
   * Replaces the per-memory view with the journal's undelivered deliveries (`fetch`), keeping what this
   * process appended while the fetch ran and dropping what it delivered meanwhile.
   */
  reload(fetch: () => Promise<readonly PendingDelivery[]>): Promise<void>;
  /** Whether the per-memory view disagrees with the journal's counts (another process appended or delivered). */
  drifted(): boolean;
}

/** Creates an empty {@link BehindTracker}. */
export function createBehindTracker(): BehindTracker {
  const local = new Map<string, PendingEntries>();
  const remote = new Map<string, { entries: number; bytes: number }>();
  const joiningMembers = new Set<string>();
  // While a reload's fetch runs: what this process appends (kept) and delivers (dropped from the fetched rows).
  const duringReload = new Set<{ appended: Map<string, Map<number, PendingEntry>>; delivered: Set<string> }>();
  const of = (member: string): PendingEntries => {
    let entries = local.get(member);
    if (!entries) local.set(member, (entries = new PendingEntries()));
    return entries;
  };
  return {
    appended(entries, members) {
      for (const member of members) for (const entry of entries) of(member).set(entry.id, { memoryId: entry.memoryId, bytes: entry.bytes });
      for (const reload of duringReload) {
        for (const member of members) {
          let kept = reload.appended.get(member);
          if (!kept) reload.appended.set(member, (kept = new Map()));
          for (const entry of entries) kept.set(entry.id, { memoryId: entry.memoryId, bytes: entry.bytes });
        }
      }
    },
    delivered(member, entryIds) {
      for (const reload of duringReload) for (const id of entryIds) reload.delivered.add(`${member}\u0000${id}`);
      const entries = of(member);
      let bytes = 0;
      for (const id of entryIds) bytes += entries.delete(id);
      // Our own deliveries lower the journal's count at once too, so a member is not held back until the next refresh.
      const counted = remote.get(member);
      if (counted) remote.set(member, { entries: Math.max(0, counted.entries - entryIds.length), bytes: Math.max(0, counted.bytes - bytes) });
    },
    refresh(backlog) {
      remote.clear();
      for (const figures of backlog) remote.set(figures.member, { entries: figures.entries, bytes: figures.bytes });
    },
    behind(member) {
      return Math.max(local.get(member)?.size ?? 0, remote.get(member)?.entries ?? 0);
    },
    behindBytes(member) {
      return Math.max(local.get(member)?.bytes ?? 0, remote.get(member)?.bytes ?? 0);
    },
    pendingFor(member, memoryIds, exceptEntryIds) {
      return local.get(member)?.missesAny(memoryIds, exceptEntryIds) ?? false;
    },
    pendingMemoryIds(member) {
      return local.get(member)?.memoryIds() ?? [];
    },
    joining(member) {
      joiningMembers.add(member);
    },
    joined(member) {
      joiningMembers.delete(member);
    },
    isJoining: (member) => joiningMembers.has(member),
    cleared(member, upTo) {
      const entries = of(member);
      for (const [id] of [...entries.entries()]) if (id <= upTo) entries.delete(id);
      remote.set(member, { entries: 0, bytes: 0 });
    },
    async reload(fetch) {
      const reload = { appended: new Map<string, Map<number, PendingEntry>>(), delivered: new Set<string>() };
      duringReload.add(reload);
      let rows: readonly PendingDelivery[];
      try {
        rows = await fetch();
      } finally {
        duringReload.delete(reload);
      }
      const next = new Map<string, PendingEntries>();
      const into = (member: string): PendingEntries => {
        let entries = next.get(member);
        if (!entries) next.set(member, (entries = new PendingEntries()));
        return entries;
      };
      for (const row of rows) if (!reload.delivered.has(`${row.member}\u0000${row.entryId}`)) into(row.member).set(row.entryId, { memoryId: row.memoryId, bytes: row.bytes });
      for (const [member, entries] of reload.appended) for (const [id, entry] of entries) if (local.get(member)?.has(id)) into(member).set(id, entry);
      local.clear();
      for (const [member, entries] of next) local.set(member, entries);
    },
    drifted() {
      for (const [member, counted] of remote) if ((local.get(member)?.size ?? 0) !== counted.entries) return true;
      for (const [member, entries] of local) if (entries.size > 0 && !remote.has(member)) return true;
      return false;
    },
  };
}

/**
 * Read-your-writes admission: of the members that can serve now, the caught-up ones; when every one is
 * behind, those with nothing pending for the memories concerned (they acknowledged or received those
 * writes); for no memory in particular (a listing), the least behind.
 * @returns the admitted member names: empty when `available` is, or when every available member still
 * misses a write of these memories (serving from one would be a stale read; see `latestWritesUnavailable`)
 */
export function admitMembers(tracker: BehindTracker, up: readonly string[], memoryIds: readonly string[] = []): Set<string> {
  if (up.length === 0) return new Set();
  // A member still joining holds an unknown part of the data: only when nobody else is up.
  const settled = up.filter((member) => !tracker.isJoining(member));
  const available = settled.length > 0 ? settled : up;
  const clean = memoryIds.length === 0 ? available : available.filter((member) => !tracker.pendingFor(member, memoryIds));
  const caughtUp = clean.filter((member) => tracker.behind(member) === 0);
  if (caughtUp.length > 0) return new Set(caughtUp);
  // Nobody is caught up: a member with nothing pending for these memories already has the writes that matter.
  if (memoryIds.length > 0) return new Set(clean);
  const least = Math.min(...available.map((member) => tracker.behind(member)));
  return new Set(available.filter((member) => tracker.behind(member) === least));
}
