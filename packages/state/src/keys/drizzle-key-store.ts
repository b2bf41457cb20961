import { ConflictError, NotFoundError, ValidationError } from '@memgate/core';
import type { ApiKeyRecord, ApiKeyRecordPatch, KeyRevocationListener, KeyStore } from '@memgate/security';
import { desc, eq, sql } from 'drizzle-orm';
import { notifyChange, type ChangeFeed, type StateChange } from '../changes/change-feed.js';
import type { StateDrizzle } from '../connection/state-database.js';
import { apiKeys, type ApiKeyRow } from '../schema/api-keys.js';

/** The change feed topic of key changes. */
export const keyChangeTopic = 'api_keys';

/** What {@link DrizzleKeyStore} announces; `{ id: '*', hash: '*' }` means "changes may have been missed: drop every cached key". */
export type KeyChange = Parameters<KeyRevocationListener>[0];

/** A patch of these fields changes whether, or as what, a key authenticates: every replica must hear of it. */
const announcedFields = ['revokedAt', 'expiresAt', 'roles', 'permissions'] as const;

/**
 * @memgate/security's {@link KeyStore} over drizzle (`memgate.api_keys`), shared by every replica.
 * An update that changes `revokedAt`, `expiresAt`, `roles` or `permissions` announces `{ id, hash }`
 * on the change feed in the writing transaction, so every process sharing the database hears it on
 * commit (and none hears of a change rolled back). After the feed reconnects, listeners get
 * `{ id: '*', hash: '*' }`: a revocation may have been missed, flush the whole cache.
 */
export class DrizzleKeyStore implements KeyStore {
  private readonly subscriptions = new Set<() => void>();
  /** The lookup of every uncached key check, prepared once: drizzle then skips building the query each time. */
  private readonly byHash;

  constructor(
    private readonly db: StateDrizzle,
    private readonly feed: ChangeFeed,
  ) {
    this.byHash = db.select().from(apiKeys).where(eq(apiKeys.hash, sql.placeholder('hash'))).prepare('memgate_api_key_by_hash');
  }

  /**
   * @throws ConflictError when the id or the hash already exists; ValidationError for a hash that is not a hex SHA-256 digest or a time that is not whole epoch milliseconds
   */
  async insert(record: ApiKeyRecord): Promise<void> {
    const [row] = await this.db.insert(apiKeys).values(toRow(record)).onConflictDoNothing().returning({ id: apiKeys.id });
    if (!row) throw new ConflictError({ message: `API key ${record.id} already exists (same id or same hash)` });
  }

  async findByHash(hash: string): Promise<ApiKeyRecord | null> {
    // Equality on the unique index: the full digest, never a prefix.
    const [row] = (await this.byHash.execute({ hash })) as ApiKeyRow[];
    return row ? toRecord(row) : null;
  }

  async findById(id: string): Promise<ApiKeyRecord | null> {
    const [row] = await this.db.select().from(apiKeys).where(eq(apiKeys.id, id));
    return row ? toRecord(row) : null;
  }

  /**
   * Applies the patch under a row lock; a field present with the value `undefined` is cleared (as a spread would).
   * @throws NotFoundError when there is no such id; ValidationError for a time that is not whole epoch milliseconds
   */
  async update(id: string, patch: ApiKeyRecordPatch): Promise<ApiKeyRecord> {
    const changes = patchColumns(patch);
    return this.db.transaction(async (tx) => {
      const [current] = await tx.select().from(apiKeys).where(eq(apiKeys.id, id)).for('update');
      if (!current) throw new NotFoundError({ message: `API key ${id} not found` });
      const [row] = Object.keys(changes).length === 0 ? [current] : await tx.update(apiKeys).set(changes).where(eq(apiKeys.id, id)).returning();
      const before = toRecord(current);
      const after = toRecord(row!);
      if (announcedFields.some((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]))) {
        await notifyChange(tx, { topic: keyChangeTopic, key: `${id}:${after.hash}`, version: null });
      }
      return after;
    });
  }

  /** Newest first (by `createdAt`, then id). */
  async list(): Promise<readonly ApiKeyRecord[]> {
    const rows = await this.db.select().from(apiKeys).orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
    return rows.map(toRecord);
  }

  /** Hears key changes from every replica (this one included), on commit. Returns the unsubscribe function. */
  onRevocation(listener: KeyRevocationListener): () => void {
    const subscription = this.feed.subscribe(keyChangeTopic, (change) => {
      const event = toKeyChange(change);
      if (!event) return;
      try {
        listener(event);
      } catch {
        // A faulty listener must not starve the others (the feed's reconnect path does not guard them).
      }
    });
    const unsubscribe = (): void => {
      subscription.dispose();
      this.subscriptions.delete(unsubscribe);
    };
    this.subscriptions.add(unsubscribe);
    return unsubscribe;
  }

  /** Stops every listener. */
  close(): void {
    for (const unsubscribe of [...this.subscriptions]) unsubscribe();
  }
}

function toKeyChange(change: StateChange): KeyChange | undefined {
  if (change.key === '*') return { id: '*', hash: '*' };
  // `<id>:<hash>`: the hash is hex, so the last colon separates them whatever the id holds.
  const colon = change.key.lastIndexOf(':');
  return colon < 0 ? undefined : { id: change.key.slice(0, colon), hash: change.key.slice(colon + 1) };
}

function patchColumns(patch: ApiKeyRecordPatch): Partial<typeof apiKeys.$inferInsert> {
  const columns: Partial<typeof apiKeys.$inferInsert> = {};
  if ('name' in patch) columns.name = patch.name;
  if ('roles' in patch) columns.roles = [...(patch.roles ?? [])];
  if ('permissions' in patch) columns.permissions = [...(patch.permissions ?? [])];
  if ('expiresAt' in patch) columns.expiresAt = optionalTime(patch.expiresAt, 'expiresAt');
  if ('revokedAt' in patch) columns.revokedAt = optionalTime(patch.revokedAt, 'revokedAt');
  if ('replacedBy' in patch) columns.replacedBy = patch.replacedBy ?? null;
  return columns;
}

function toRow(record: ApiKeyRecord): typeof apiKeys.$inferInsert {
  if (!/^[0-9a-f]{64}$/.test(record.hash)) throw new ValidationError({ message: 'hash must be a hex SHA-256 digest (64 lowercase hex digits)', field: 'hash' });
  return {
    id: record.id,
    hash: record.hash,
    prefix: record.prefix,
    environment: record.environment,
    name: record.name,
    roles: [...record.roles],
    permissions: [...record.permissions],
    // JSON drops `undefined` members, so the stored scope equals what a reader gets back.
    scope: record.scope === undefined ? null : (JSON.parse(JSON.stringify(record.scope)) as typeof record.scope),
    allowedIps: record.allowedIps === undefined ? null : [...record.allowedIps],
    rateLimit: record.rateLimit ?? null,
    quota: record.quota ?? null,
    createdAt: time(record.createdAt, 'createdAt'),
    expiresAt: optionalTime(record.expiresAt, 'expiresAt'),
    revokedAt: optionalTime(record.revokedAt, 'revokedAt'),
    replacedBy: record.replacedBy ?? null,
  };
}

function toRecord(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.id,
    hash: row.hash,
    prefix: row.prefix,
    environment: row.environment,
    name: row.name,
    roles: row.roles,
    permissions: row.permissions,
    ...(row.scope !== null ? { scope: row.scope } : {}),
    ...(row.allowedIps !== null ? { allowedIps: row.allowedIps } : {}),
    ...(row.rateLimit !== null ? { rateLimit: row.rateLimit } : {}),
    ...(row.quota !== null ? { quota: row.quota } : {}),
    createdAt: row.createdAt.getTime(),
    ...(row.expiresAt !== null ? { expiresAt: row.expiresAt.getTime() } : {}),
    ...(row.revokedAt !== null ? { revokedAt: row.revokedAt.getTime() } : {}),
    ...(row.replacedBy !== null ? { replacedBy: row.replacedBy } : {}),
  };
}

// Whole milliseconds within Date's range: timestamptz keeps microseconds, so they come back exactly.
function time(value: number, field: string): Date {
  const date = new Date(value);
  if (!Number.isSafeInteger(value) || Number.isNaN(date.getTime())) throw new ValidationError({ message: `${field} must be whole epoch milliseconds`, field });
  return date;
}

function optionalTime(value: number | undefined, field: string): Date | null {
  return value === undefined ? null : time(value, field);
}
