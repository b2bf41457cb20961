import { ConflictError, ValidationError } from '@memgate/core';
import { genesisHash, type AuditChainHead, type AuditCheckpoint, type AuditEntry, type AuditQuery, type AuditStore } from '@memgate/security';
import { and, asc, desc, eq, gt, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { StateDrizzle } from '../connection/state-database.js';
import { auditCheckpoints, type AuditCheckpointRow } from '../schema/audit-checkpoints.js';
import { auditEntries, type AuditEntryRow } from '../schema/audit-entries.js';

/** Any int8 constant: serialises appends of every replica sharing the database. */
const appendLockKey = 7_310_548_220_115;
// 17 parameters a row: 1000 rows stay far below PostgreSQL's 65 535.
const batchSize = 1000;

/**
 * @memgate/security's {@link AuditStore} over drizzle (`memgate.audit_entries`, `memgate.audit_checkpoints`),
 * shared by every replica. An append runs in one transaction under an advisory lock, so two replicas
 * appending at once are serialised: the second sees the first's head and gets a `ConflictError`
 * (the writer re-chains and retries), and the chain stays gapless. The tables are append-only in the
 * database too (a trigger refuses UPDATE, DELETE and TRUNCATE). An entry read back is deep-equal to
 * the one appended (`ts` is kept as the hashed text; absent fields stay absent), so `verifyAuditChain`
 * verifies what is stored.
 */
export class DrizzleAuditStore implements AuditStore {
  constructor(private readonly db: StateDrizzle) {}

  async head(): Promise<AuditChainHead | null> {
    return readHead(this.db);
  }

  /**
   * Appends consecutive entries atomically: all or none.
   * @throws ConflictError when `entries[0]` does not follow the current head (seq ≠ head.seq + 1 or prevHash ≠ head.hash);
   *   ValidationError when the batch is not itself a chain (seqs consecutive, each prevHash the previous hash) or a `ts` is not a date;
   *   the driver's error when PostgreSQL refuses a value (U+0000 in a string, for one: text and jsonb cannot hold it)
   */
  async append(entries: readonly AuditEntry[]): Promise<void> {
    const first = entries[0];
    if (!first) return;
    const rows = entries.map((entry, index) => {
      const previous = entries[index - 1];
      if (previous && (entry.seq !== previous.seq + 1 || entry.prevHash !== previous.hash)) {
        throw new ValidationError({ message: `audit entry ${index} does not follow entry ${index - 1} of the batch`, field: `entries[${index}]` });
      }
      return toRow(entry, index);
    });
    await this.db.transaction(async (tx) => {
      // Held until commit: the head read below cannot move before this batch is in.
      await tx.execute(sql`select pg_advisory_xact_lock(${appendLockKey})`);
      const head = await readHead(tx);
      if (first.seq !== (head?.seq ?? 0) + 1 || first.prevHash !== (head?.hash ?? genesisHash)) {
        throw new ConflictError({ message: `audit chain head moved (head ${head?.seq ?? 0}, batch starts at ${first.seq}); re-chain and retry` });
      }
      for (let start = 0; start < rows.length; start += batchSize) await tx.insert(auditEntries).values(rows.slice(start, start + batchSize));
    });
  }

  /** Entries with `seq > afterSeq` (default 0), oldest first, at most `limit` (default 1000). */
  async list({ afterSeq = 0, limit = 1000 }: { afterSeq?: number; limit?: number } = {}): Promise<readonly AuditEntry[]> {
    const rows = await this.db
      .select()
      .from(auditEntries)
      .where(gt(auditEntries.seq, whole(afterSeq, 'afterSeq', 0)))
      .orderBy(asc(auditEntries.seq))
      .limit(whole(limit, 'limit', 1));
    return rows.map(toEntry);
  }

  /**
   * The entries matching every given filter, oldest first by `seq`.
   * @throws ValidationError naming the field for an unparsable `since`/`until` or a bad `afterSeq`/`limit`
   */
  async query(filter: AuditQuery = {}): Promise<readonly AuditEntry[]> {
    const conditions: SQL[] = [];
    if (filter.actor !== undefined) conditions.push(eq(auditEntries.actor, filter.actor));
    if (filter.action !== undefined) conditions.push(eq(auditEntries.action, filter.action));
    if (filter.outcome !== undefined) conditions.push(eq(auditEntries.outcome, filter.outcome));
    if (filter.resourceType !== undefined) conditions.push(eq(auditEntries.resourceType, filter.resourceType));
    if (filter.resourceId !== undefined) conditions.push(eq(auditEntries.resourceId, filter.resourceId));
    if (filter.since !== undefined) conditions.push(gte(auditEntries.tsInstant, instant(filter.since, 'since')));
    if (filter.until !== undefined) conditions.push(lt(auditEntries.tsInstant, instant(filter.until, 'until')));
    if (filter.afterSeq !== undefined) conditions.push(gt(auditEntries.seq, whole(filter.afterSeq, 'afterSeq', 0)));
    const limit = Math.min(1000, whole(filter.limit ?? 100, 'limit', 1));
    const rows = await this.db
      .select()
      .from(auditEntries)
      .where(and(...conditions))
      .orderBy(asc(auditEntries.seq))
      .limit(limit);
    return rows.map(toEntry);
  }

  /**
   * Stores a checkpoint (append-only, like the chain).
   * @throws ConflictError when a checkpoint of this seq by this key already exists
   */
  async appendCheckpoint(checkpoint: AuditCheckpoint): Promise<void> {
    const { seq, hash, ts, keyId, signature } = checkpoint;
    const [row] = await this.db
      .insert(auditCheckpoints)
      .values({ seq: whole(seq, 'seq', 1), hash, ts, keyId, signature })
      .onConflictDoNothing()
      .returning({ seq: auditCheckpoints.seq });
    if (!row) throw new ConflictError({ message: `a checkpoint of seq ${seq} signed by ${keyId} already exists` });
  }

  /** Every checkpoint, oldest first (by seq, then key id). */
  async listCheckpoints(): Promise<readonly AuditCheckpoint[]> {
    const rows = await this.db.select().from(auditCheckpoints).orderBy(asc(auditCheckpoints.seq), asc(auditCheckpoints.keyId));
    return rows.map(toCheckpoint);
  }
}

async function readHead(db: Pick<StateDrizzle, 'select'>): Promise<AuditChainHead | null> {
  const [row] = await db.select({ seq: auditEntries.seq, hash: auditEntries.hash }).from(auditEntries).orderBy(desc(auditEntries.seq)).limit(1);
  return row ?? null;
}

function toRow(entry: AuditEntry, index: number): typeof auditEntries.$inferInsert {
  return {
    seq: whole(entry.seq, `entries[${index}].seq`, 1),
    ts: entry.ts,
    tsInstant: instant(entry.ts, `entries[${index}].ts`),
    prevHash: entry.prevHash,
    hash: entry.hash,
    action: entry.action,
    actor: entry.actor,
    authMethod: entry.authMethod ?? null,
    actorIp: entry.actorIp ?? null,
    resourceType: entry.resourceType ?? null,
    resourceId: entry.resourceId ?? null,
    tenant: entry.tenant ?? null,
    outcome: entry.outcome,
    status: entry.status ?? null,
    requestId: entry.requestId ?? null,
    details: entry.details ?? null,
  };
}

// Absent stays absent (never `null`): the read-back entry must hash as the appended one did.
function toEntry(row: AuditEntryRow): AuditEntry {
  return {
    seq: row.seq,
    ts: row.ts,
    prevHash: row.prevHash,
    hash: row.hash,
    action: row.action,
    actor: row.actor,
    ...(row.authMethod !== null ? { authMethod: row.authMethod } : {}),
    ...(row.actorIp !== null ? { actorIp: row.actorIp } : {}),
    ...(row.resourceType !== null ? { resourceType: row.resourceType } : {}),
    ...(row.resourceId !== null ? { resourceId: row.resourceId } : {}),
    ...(row.tenant !== null ? { tenant: row.tenant } : {}),
    outcome: row.outcome,
    ...(row.status !== null ? { status: row.status } : {}),
    ...(row.requestId !== null ? { requestId: row.requestId } : {}),
    ...(row.details !== null ? { details: row.details } : {}),
  };
}

function toCheckpoint(row: AuditCheckpointRow): AuditCheckpoint {
  return { seq: row.seq, hash: row.hash, ts: row.ts, keyId: row.keyId, signature: row.signature };
}

function instant(value: string, field: string): Date {
  const date = new Date(value);
  if (typeof value !== 'string' || Number.isNaN(date.getTime())) throw new ValidationError({ message: `${field} must be an ISO 8601 time`, field });
  return date;
}

function whole(value: number, field: string, minimum: number): number {
  if (!Number.isSafeInteger(value) || value < minimum) throw new ValidationError({ message: `${field} must be a whole number of at least ${minimum}`, field });
  return value;
}
