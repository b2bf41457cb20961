import { ConflictError, NotFoundError } from '@memgate/core';
import type { Disposable, ProviderRecord, ProviderRecordChange, ProviderRecordInput, ProviderRegistryStore } from '@memgate/registry';
import { and, asc, eq } from 'drizzle-orm';
import { notifyChange, type ChangeFeed } from '../changes/change-feed.js';
import type { StateDrizzle } from '../connection/state-database.js';
import { providers, type ProviderRow } from '../schema/providers.js';

const topic = 'providers';

/**
 * The registry's {@link ProviderRegistryStore} over drizzle: versioned rows in `memgate.providers`,
 * each change announced on the change feed in the same transaction.
 */
export class DrizzleProviderRegistryStore implements ProviderRegistryStore {
  // Names seen, so a resync after a lost connection can also report the ones deleted meanwhile.
  private readonly seen = new Set<string>();

  constructor(
    private readonly db: StateDrizzle,
    private readonly feed: ChangeFeed,
  ) {}

  async list(): Promise<ProviderRecord[]> {
    const rows = await this.db.select().from(providers).orderBy(asc(providers.name));
    for (const row of rows) this.seen.add(row.name);
    return rows.map(toRecord);
  }

  async get(name: string): Promise<ProviderRecord | null> {
    const [row] = await this.db.select().from(providers).where(eq(providers.name, name));
    return row ? toRecord(row) : null;
  }

  async insert(input: ProviderRecordInput): Promise<ProviderRecord> {
    const name = input.config.name;
    return this.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(providers)
        .values({ name, providerType: input.config.provider_type, ...fields(input), version: 1 })
        .onConflictDoNothing()
        .returning();
      if (!row) throw new ConflictError({ message: `provider '${name}' already exists` });
      await notifyChange(tx, { topic, key: name, version: 1 });
      return toRecord(row);
    });
  }

  async update(name: string, expectedVersion: number, input: ProviderRecordInput): Promise<ProviderRecord> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx
        .update(providers)
        .set({ providerType: input.config.provider_type, ...fields(input), version: expectedVersion + 1, updatedAt: new Date() })
        .where(and(eq(providers.name, name), eq(providers.version, expectedVersion)))
        .returning();
      if (!row) await explainMiss(tx, name, expectedVersion);
      await notifyChange(tx, { topic, key: name, version: row!.version });
      return toRecord(row!);
    });
  }

  async remove(name: string, expectedVersion: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      const [row] = await tx
        .delete(providers)
        .where(and(eq(providers.name, name), eq(providers.version, expectedVersion)))
        .returning({ name: providers.name });
      if (!row) await explainMiss(tx, name, expectedVersion);
      await notifyChange(tx, { topic, key: name, version: null });
    });
  }

  onChange(listener: (change: ProviderRecordChange) => void): Disposable {
    return this.feed.subscribe(topic, (change) => {
      if (change.key !== '*') {
        this.seen.add(change.key);
        listener({ name: change.key, version: change.version });
        return;
      }
      const before = new Set(this.seen);
      void this.list().then(
        (records) => {
          for (const record of records) before.add(record.name);
          for (const name of before) listener({ name, version: null });
        },
        () => undefined,
      );
    });
  }
}

function fields(input: ProviderRecordInput) {
  // JSON drops `undefined` keys, so the stored config equals what a reader gets back.
  return { config: JSON.parse(JSON.stringify(input.config)), state: input.state, source: input.source, reason: input.reason ?? null };
}

async function explainMiss(tx: Pick<StateDrizzle, 'select'>, name: string, expectedVersion: number): Promise<never> {
  const [current] = await tx.select({ version: providers.version }).from(providers).where(eq(providers.name, name));
  if (!current) throw new NotFoundError({ message: `provider '${name}' does not exist` });
  throw new ConflictError({ message: `provider '${name}' was changed concurrently (version ${current.version}, expected ${expectedVersion})` });
}

function toRecord(row: ProviderRow): ProviderRecord {
  return {
    name: row.name,
    config: row.config,
    state: row.state,
    source: row.source,
    ...(row.reason !== null ? { reason: row.reason } : {}),
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
