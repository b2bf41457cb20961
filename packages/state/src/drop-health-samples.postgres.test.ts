import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@memgate/testkit';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stateMigrations } from './connection/migrations-folder.js';
import { createStateStore, type StateStore } from './create-state-store.js';

interface MigrationJournal {
  readonly entries: readonly { readonly tag: string }[];
}

// An upgrade, not a fresh install: a database migrated by the release before 0006 (health_samples
// present, with a row in it) opened by this one.
let database: TestDatabase;
let folder: string;
let store: StateStore | undefined;
beforeAll(async () => {
  database = await createTestDatabase({ prefix: 'memgate_state_upgrade' });
  folder = mkdtempSync(join(tmpdir(), 'memgate-migrations-'));
  cpSync(stateMigrations.migrationsFolder, folder, { recursive: true });
  const journalPath = join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as MigrationJournal;
  const before = journal.entries.findIndex((entry) => entry.tag === '0006_drop_health_samples');
  writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, before) }));
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    await migrate(drizzle({ client }), { ...stateMigrations, migrationsFolder: folder });
    await client.query(`insert into memgate.health_samples (provider, kind, ok, latency_ms) values ('primary', 'probe', true, 3.5)`);
    await client.query(`insert into memgate.providers (name, provider_type, config, state, source, version) values ('primary', 'memory', '{"name":"primary","provider_type":"memory","connection_string":"memory://primary"}'::jsonb, 'active', 'config', 1)`);
  } finally {
    await client.end();
  }
}, 30_000);
afterAll(async () => {
  await store?.close();
  await database?.drop();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

describe('migration 0006_drop_health_samples', () => {
  it('drops health_samples (never written) and its index from a database migrated before it, keeping everything else', async () => {
    const tables = async (): Promise<string[]> => {
      const result = (await store!.db.execute("select table_name from information_schema.tables where table_schema = 'memgate' order by table_name")) as unknown as { rows: { table_name: string }[] };
      return result.rows.map((row) => row.table_name);
    };
    store = await createStateStore({ url: database.url });
    expect(await tables()).not.toContain('health_samples');
    const index = (await store.db.execute("select count(*)::int as count from pg_indexes where schemaname = 'memgate' and indexname = 'health_samples_provider_at_idx'")) as unknown as { rows: { count: number }[] };
    expect(index.rows[0]?.count).toBe(0);
    expect((await store.providers.get('primary'))?.name).toBe('primary');
    const applied = (await store.db.execute('select count(*)::int as count from drizzle.__memgate_state_migrations')) as unknown as { rows: { count: number }[] };
    expect(applied.rows[0]?.count).toBe((JSON.parse(readFileSync(join(stateMigrations.migrationsFolder, 'meta', '_journal.json'), 'utf8')) as MigrationJournal).entries.length);
  });
});
