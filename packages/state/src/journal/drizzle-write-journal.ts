import type { JsonValue } from '@memgate/core';
import { journalPayloadBytes, type JournalEntry, type JournalEntryInput, type JournalLease, type MemberBacklog, type PendingDelivery, type WriteJournal } from '@memgate/failover';
import { sql, type SQL } from 'drizzle-orm';
import type { StateDrizzle } from '../connection/state-database.js';

interface EntryRow {
  id: string | number;
  pool: string;
  op: JournalEntry['op'];
  memory_id: string;
  version: number;
  payload: JsonValue | null;
  created_at: string | Date;
  bytes: number;
}

const toEntry = (row: EntryRow): JournalEntry => ({ id: Number(row.id), pool: row.pool, op: row.op, memoryId: row.memory_id, version: Number(row.version), payload: row.payload, createdAt: new Date(row.created_at).getTime(), bytes: Number(row.bytes) });
// Arrays travel as one array literal parameter (drizzle would expand a JS array into a list); `= any(bigint[])` plans as an index lookup.
const anyId = (ids: readonly number[]): SQL => sql`any(${`{${ids.map((id) => Math.trunc(id)).join(',')}}`}::bigint[])`;
/** `any($1::text[])` with the values as one array literal (each double-quoted, backslashes and quotes escaped). */
const anyText = (values: readonly string[]): SQL => sql`any(${`{${values.map((value) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`}::text[])`;
const rowsOf = async <T>(query: Promise<unknown>): Promise<T[]> => ((await query) as { rows: T[] }).rows;

/** A `markDelivered`, or a `release` without a next attempt time, waiting for the next settle statement. */
interface SettleRequest {
  readonly pool: string;
  readonly member: string;
  readonly entryIds: readonly number[];
  readonly delivered: boolean;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

// Settle statements in flight at once; what arrives meanwhile waits and goes out together in the next one.
const maxSettleStatements = 2;

/**
 * The write journal in the control-plane store (`memgate.journal_entries`, `memgate.journal_deliveries`),
 * shared by every gateway replica. An append commits before it resolves. Claims lock the member's
 * pending rows with `FOR UPDATE SKIP LOCKED` and set a lease (`lease_owner`, `lease_until`), under a
 * per-member advisory lock so concurrent claims see each other's leases: two replicators never hold
 * the same delivery, and an entry whose memory has an earlier delivery held elsewhere waits (order per memory).
 */
export class DrizzleWriteJournal implements WriteJournal {
  private settleQueue: SettleRequest[] = [];
  private settling = 0;
  private settleScheduled = false;

  constructor(private readonly db: StateDrizzle) {}

  async append(inputs: readonly JournalEntryInput[], lease?: JournalLease): Promise<JournalEntry[]> {
    if (inputs.length === 0) return [];
    const values = inputs.map((input, index) => ({ ord: index, pool: input.pool, op: input.op, memory_id: input.memoryId, payload: input.payload, bytes: journalPayloadBytes(input.payload), members: input.members }));
    // One statement (atomic, one round trip on the write path): ids in input order, version = id, a pending delivery per member.
    const rows = await rowsOf<EntryRow>(
      this.db.execute(sql`with input as (
          select * from jsonb_to_recordset(${JSON.stringify(values)}::jsonb) as x(ord int, pool text, op text, memory_id text, payload jsonb, bytes int, members jsonb)
        ), numbered as (
          select nextval(pg_get_serial_sequence('memgate.journal_entries', 'id')) as id, sorted.* from (select * from input order by ord) as sorted
        ), entries as (
          insert into memgate.journal_entries (id, pool, op, memory_id, version, payload, bytes)
          select id, pool, op, memory_id, id, payload, bytes from numbered
          returning id, pool, op, memory_id, version, payload, created_at, bytes
        ), deliveries as (
          insert into memgate.journal_deliveries (entry_id, member, lease_owner, lease_until)
          select numbered.id, member.value, ${lease ? sql`${lease.owner}, now() + ${lease.leaseMs} * interval '1 millisecond'` : sql`null, null`}
          from numbered cross join lateral jsonb_array_elements_text(numbered.members) as member(value)
        )
        select * from entries`),
    );
    return rows.map(toEntry).sort((left, right) => left.id - right.id);
  }

  async discard(pool: string, entryIds: readonly number[]): Promise<void> {
    if (entryIds.length === 0) return;
    await this.db.execute(sql`delete from memgate.journal_entries where pool = ${pool} and id = ${anyId(entryIds)}`);
  }

  /**
   * Marks deliveries applied. Calls made while a settle statement is running (the write path's own, of
   * every concurrent write) are grouped with `release` calls into one statement (see `settle`); each call
   * still resolves only once its rows are written.
   */
  markDelivered(pool: string, member: string, entryIds: readonly number[]): Promise<void> {
    return this.enqueueSettle(pool, member, entryIds, true);
  }
  async markFailed(pool: string, member: string, entryIds: readonly number[], failure: { error: string; nextAttemptAt: number; permanent?: boolean }): Promise<void> {
    if (entryIds.length === 0) return;
    await this.db.execute(sql`update memgate.journal_deliveries set state = ${failure.permanent ? 'failed' : 'pending'}, attempts = attempts + 1, last_error = ${failure.error},
        next_attempt_at = to_timestamp(${failure.nextAttemptAt / 1000}), lease_owner = null, lease_until = null
      where member = ${member} and state <> 'delivered' and entry_id = ${anyId(entryIds)} and exists (select 1 from memgate.journal_entries e where e.id = entry_id and e.pool = ${pool})`);
  }

  async releaseOwner(pool: string, owner: string): Promise<number> {
    const rows = await rowsOf<{ entry_id: string }>(
      this.db.execute(sql`update memgate.journal_deliveries set lease_owner = null, lease_until = null
        where lease_owner = ${owner} and state = 'pending' and exists (select 1 from memgate.journal_entries e where e.id = entry_id and e.pool = ${pool}) returning entry_id::text`),
    );
    return rows.length;
  }

  release(pool: string, member: string, entryIds: readonly number[], nextAttemptAt?: number): Promise<void> {
    if (nextAttemptAt === undefined) return this.enqueueSettle(pool, member, entryIds, false);
    return this.releaseNow(pool, member, entryIds, nextAttemptAt);
  }

  private async releaseNow(pool: string, member: string, entryIds: readonly number[], nextAttemptAt: number): Promise<void> {
    if (entryIds.length === 0) return;
    await this.db.execute(sql`update memgate.journal_deliveries set lease_owner = null, lease_until = null, next_attempt_at = to_timestamp(${nextAttemptAt / 1000})
      where member = ${member} and state = 'pending' and entry_id = ${anyId(entryIds)} and exists (select 1 from memgate.journal_entries e where e.id = entry_id and e.pool = ${pool})`);
  }

  /**
   * Group commit of the write path's bookkeeping. A journaled write ends with a `markDelivered` for the
   * members that hold it and a `release` for the others (handing them to the replicator): issued together,
   * and together with those of every concurrent write, they become one UPDATE (one round trip) instead of
   * one per call. At most `maxSettleStatements` run at once; the queue goes out as soon as a slot is free,
   * so an idle store adds no wait, and a busy one sends bigger batches.
   *
   * Durability is unchanged: the write was journaled (`append`, committed) before any member saw it, and
   * the pool acknowledges it only after this resolves. A crash before the statement commits leaves the
   * deliveries pending and leased to the dead process's write path; `releaseOwner` at the next start hands
   * them to the replicator, which applies them again. That replay is idempotent (`applyJournalEntries` in
   * @memgate/failover: an add of the same id and content returns the stored record and a ConflictError
   * counts as applied; an update is skipped when the member's copy is as new or newer; a delete of a
   * missing memory counts as applied), and it cannot land after a newer write of the same memory on that
   * member: the write path admits a newer write to a member only once this settle resolved (the behind
   * tracker is told after it), so a lost settle only ever concerns the newest write of its memory there.
   */
  private enqueueSettle(pool: string, member: string, entryIds: readonly number[], delivered: boolean): Promise<void> {
    if (entryIds.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.settleQueue.push({ pool, member, entryIds, delivered, resolve, reject });
      if (this.settleScheduled) return;
      this.settleScheduled = true;
      // After the current synchronous work: the calls one write (or several) makes in the same tick share a statement.
      queueMicrotask(() => {
        this.settleScheduled = false;
        this.settleNext();
      });
    });
  }

  private settleNext(): void {
    while (this.settling < maxSettleStatements && this.settleQueue.length > 0) {
      const batch = this.settleQueue;
      this.settleQueue = [];
      this.settling += 1;
      this.settle(batch).then(
        () => batch.forEach((request) => request.resolve()),
        (error: unknown) => batch.forEach((request) => request.reject(error)),
      ).finally(() => {
        this.settling -= 1;
        this.settleNext();
      });
    }
  }

  private async settle(batch: readonly SettleRequest[]): Promise<void> {
    // One row per delivery; a delivery both released and marked delivered in the batch ends delivered, as either order would leave it.
    const rows = new Map<string, { pool: string; member: string; entry_id: number; delivered: boolean }>();
    for (const request of batch) {
      for (const id of request.entryIds) {
        const key = `${request.pool}\u0000${request.member}\u0000${id}`;
        const row = rows.get(key);
        if (row) row.delivered ||= request.delivered;
        else rows.set(key, { pool: request.pool, member: request.member, entry_id: Math.trunc(id), delivered: request.delivered });
      }
    }
    // markDelivered: any undelivered row becomes delivered; release: a pending row loses its lease. Both clear the lease.
    await this.db.execute(sql`update memgate.journal_deliveries d set
        state = case when r.delivered then 'delivered' else d.state end,
        delivered_at = case when r.delivered then now() else d.delivered_at end,
        lease_owner = null, lease_until = null
      from jsonb_to_recordset(${JSON.stringify([...rows.values()])}::jsonb) as r(pool text, member text, entry_id bigint, delivered boolean)
      where d.member = r.member and d.entry_id = r.entry_id
        and (case when r.delivered then d.state <> 'delivered' else d.state = 'pending' end)
        and exists (select 1 from memgate.journal_entries e where e.id = d.entry_id and e.pool = r.pool)`);
  }

  async claim(options: { pool: string; member: string; owner: string; limit: number; leaseMs: number }): Promise<JournalEntry[]> {
    const { pool, member, owner, limit, leaseMs } = options;
    return this.db.transaction(async (tx) => {
      // Claims of one member take turns, so each sees the leases the previous one set (order per memory across replicas).
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`memgate.journal/${pool}/${member}`}))`);
      const candidates = await rowsOf<EntryRow & { lease_owner: string | null; leased: boolean; due: boolean }>(
        tx.execute(sql`select e.id, e.pool, e.op, e.memory_id, e.version, e.payload, e.created_at, e.bytes, d.lease_owner,
            coalesce(d.lease_until > now(), false) as leased, coalesce(d.next_attempt_at <= now(), true) as due
          from memgate.journal_deliveries d join memgate.journal_entries e on e.id = d.entry_id
          where d.member = ${member} and d.state = 'pending' and e.pool = ${pool}
          order by d.entry_id limit ${limit * 4 + 100}`),
      );
      if (candidates.length === 0) return [];
      const locked = new Set(
        (
          await rowsOf<{ entry_id: string }>(
            tx.execute(sql`select entry_id::text from memgate.journal_deliveries where member = ${member} and state = 'pending' and entry_id = ${anyId(candidates.map((row) => Number(row.id)))} for update skip locked`),
          )
        ).map((row) => Number(row.entry_id)),
      );
      const blocked = new Set<string>();
      const chosen: EntryRow[] = [];
      for (const row of candidates) {
        if (chosen.length >= limit) break;
        if (blocked.has(row.memory_id)) continue;
        // Locked by another transaction, leased by another replicator, or backing off: it and the later entries of its memory wait.
        if (!locked.has(Number(row.id)) || (row.leased && row.lease_owner !== owner) || !row.due) {
          blocked.add(row.memory_id);
          continue;
        }
        chosen.push(row);
      }
      if (chosen.length === 0) return [];
      await tx.execute(sql`update memgate.journal_deliveries set lease_owner = ${owner}, lease_until = now() + ${leaseMs} * interval '1 millisecond'
        where member = ${member} and entry_id = ${anyId(chosen.map((row) => Number(row.id)))}`);
      return chosen.map(toEntry);
    });
  }

  async backlog(pool: string): Promise<MemberBacklog[]> {
    const rows = await rowsOf<{ member: string; entries: string; bytes: string; failed: string; oldest_at: string | Date | null }>(
      this.db.execute(sql`select d.member, count(*) filter (where d.state <> 'delivered')::text as entries,
          coalesce(sum(e.bytes) filter (where d.state <> 'delivered'), 0)::text as bytes,
          count(*) filter (where d.state = 'failed')::text as failed,
          min(e.created_at) filter (where d.state <> 'delivered') as oldest_at
        from memgate.journal_deliveries d join memgate.journal_entries e on e.id = d.entry_id
        where e.pool = ${pool} group by d.member order by d.member`),
    );
    return rows.map((row) => ({ member: row.member, entries: Number(row.entries), bytes: Number(row.bytes), failed: Number(row.failed), oldestAt: row.oldest_at === null ? null : new Date(row.oldest_at).getTime() }));
  }

  async pendingDeliveries(pool: string): Promise<PendingDelivery[]> {
    const rows = await rowsOf<{ member: string; entry_id: string; memory_id: string; bytes: number }>(
      this.db.execute(sql`select d.member, d.entry_id::text as entry_id, e.memory_id, e.bytes
        from memgate.journal_deliveries d join memgate.journal_entries e on e.id = d.entry_id
        where e.pool = ${pool} and d.state <> 'delivered' order by d.entry_id, d.member`),
    );
    return rows.map((row) => ({ member: row.member, entryId: Number(row.entry_id), memoryId: row.memory_id, bytes: Number(row.bytes) }));
  }

  async pendingEntriesFor(pool: string, member: string, memoryIds: readonly string[]): Promise<JournalEntry[]> {
    if (memoryIds.length === 0) return [];
    const rows = await rowsOf<EntryRow>(
      this.db.execute(sql`select e.id, e.pool, e.op, e.memory_id, e.version, e.payload, e.created_at, e.bytes
        from memgate.journal_deliveries d join memgate.journal_entries e on e.id = d.entry_id
        where e.pool = ${pool} and d.member = ${member} and d.state <> 'delivered' and e.memory_id = ${anyText(memoryIds)}
        order by e.id`),
    );
    return rows.map(toEntry);
  }

  async position(pool: string, before?: number): Promise<number> {
    const cutoff = before === undefined || !Number.isFinite(before) ? sql`true` : sql`created_at < to_timestamp(${before / 1000})`;
    const [row] = await rowsOf<{ position: string }>(this.db.execute(sql`select coalesce(max(id), 0)::text as position from memgate.journal_entries where pool = ${pool} and ${cutoff}`));
    return Number(row?.position ?? 0);
  }

  async clearMember(pool: string, member: string, upTo: number): Promise<number> {
    const rows = await rowsOf<{ entry_id: string }>(
      this.db.execute(sql`update memgate.journal_deliveries set state = 'delivered', delivered_at = now(), lease_owner = null, lease_until = null
        where member = ${member} and state <> 'delivered' and entry_id <= ${upTo} and exists (select 1 from memgate.journal_entries e where e.id = entry_id and e.pool = ${pool}) returning entry_id::text`),
    );
    return rows.length;
  }

  async tombstones(pool: string, memoryIds: readonly string[]): Promise<Set<string>> {
    if (memoryIds.length === 0) return new Set();
    const rows = await rowsOf<{ memory_id: string; op: string }>(
      this.db.execute(sql`select distinct on (memory_id) memory_id, op from memgate.journal_entries
        where pool = ${pool} and memory_id in (select jsonb_array_elements_text(${JSON.stringify(memoryIds)}::jsonb)) order by memory_id, id desc`),
    );
    return new Set(rows.filter((row) => row.op === 'delete').map((row) => row.memory_id));
  }

  async prune(pool: string, options: { tombstoneRetentionMs?: number } = {}): Promise<number> {
    const retention = options.tombstoneRetentionMs ?? 0;
    const rows = await rowsOf<{ id: string }>(
      this.db.execute(sql`delete from memgate.journal_entries e where e.pool = ${pool}
          and not exists (select 1 from memgate.journal_deliveries d where d.entry_id = e.id and d.state <> 'delivered')
          and (e.op <> 'delete' or coalesce((select max(d.delivered_at) from memgate.journal_deliveries d where d.entry_id = e.id), e.created_at) < now() - ${retention} * interval '1 millisecond')
        returning e.id::text`),
    );
    return rows.length;
  }
}
