import { afterAll, describe, expect, it } from 'vitest';
import { runStatement } from './postgres-answers.js';
import { createTestDatabase, type TestDatabase } from './create-test-database.js';

const localUrl = 'postgres://postgres@127.0.0.1:5432/test';
const created: TestDatabase[] = [];
const make = async (...args: Parameters<typeof createTestDatabase>): Promise<TestDatabase> => {
  const database = await createTestDatabase(...args);
  created.push(database);
  return database;
};
const exists = async (name: string): Promise<boolean> => (await runStatement(localUrl, `SELECT 1 FROM pg_database WHERE datname = '${name}'`)).rowCount === 1;

afterAll(async () => {
  await Promise.all(created.map((database) => database.drop()));
});

describe('createTestDatabase', () => {
  it('creates a fresh, empty, uniquely named database on the local server when no URL is in the environment', async () => {
    const [first, second] = await Promise.all([make({ env: {} }), make({ env: {} })]);
    expect(first!.source).toBe('local');
    expect(first!.name).not.toBe(second!.name);
    expect(first!.name).toMatch(/^memgate_test_[0-9a-f]{16}$/);
    const rows = await runStatement(first!.url, "SELECT current_database() AS name, (SELECT count(*) FROM pg_tables WHERE schemaname = 'public')::int AS tables");
    expect(rows.rows[0]).toEqual({ name: first!.name, tables: 0 });
  });

  it('drop() removes the database even with a connection still open, and is idempotent', async () => {
    const database = await make({ env: {} });
    const { default: pg } = await import('pg');
    const lingering = new pg.Client({ connectionString: database.url });
    lingering.on('error', () => undefined);
    await lingering.connect();
    expect(await exists(database.name)).toBe(true);
    await database.drop();
    await database.drop();
    expect(await exists(database.name)).toBe(false);
    await lingering.end().catch(() => undefined);
  });

  it('prefers MEMGATE_TEST_PG_URL over DATABASE_URL and the local server', async () => {
    const database = await make({ env: { MEMGATE_TEST_PG_URL: 'postgres://postgres@localhost:5432/postgres', DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' } });
    expect(database.source).toBe('env');
    expect(new URL(database.url).hostname).toBe('localhost');
    expect(await exists(database.name)).toBe(true);
  });

  it('uses DATABASE_URL when MEMGATE_TEST_PG_URL is unset', async () => {
    const database = await make({ env: { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres' }, localUrl: 'postgres://postgres@127.0.0.1:1/none' });
    expect(database.source).toBe('env');
  });

  it('fails with a message naming the variable when the URL in the environment does not answer', async () => {
    await expect(createTestDatabase({ env: { DATABASE_URL: 'postgres://postgres:secret@127.0.0.1:1/x' }, connectTimeoutMs: 500 })).rejects.toThrow(/DATABASE_URL.*does not answer.*\*\*\*/);
  });

  it('fails with a message listing what it tried when no server answers and containers are off', async () => {
    const error = await createTestDatabase({ env: {}, localUrl: 'postgres://postgres@127.0.0.1:1/test', container: false, connectTimeoutMs: 500 }).catch((caught: Error) => caught);
    expect(String(error)).toMatch(/found no PostgreSQL.*MEMGATE_TEST_PG_URL and DATABASE_URL.*local server postgres:\/\/postgres@127\.0\.0\.1:1\/test.*testcontainers: switched off/);
  });

  it('with no server in the environment or on the local port, uses a container when Docker answers, else says testcontainers found no Docker', async () => {
    const outcome = await make({ env: {}, localUrl: 'postgres://postgres@127.0.0.1:1/test', connectTimeoutMs: 500 }).catch((error: Error) => error);
    if (outcome instanceof Error) {
      // This machine has no Docker engine: the error must say what was tried and why each failed.
      expect(outcome.message).toMatch(/local server .*127\.0\.0\.1:1.*testcontainers \(no Docker engine\): .+/);
    } else {
      expect(outcome.source).toBe('container');
      expect((await runStatement(outcome.url, 'SELECT current_database() AS name')).rows).toEqual([{ name: outcome.name }]);
    }
  }, 180_000);

  it('rejects a prefix that is not a plain identifier', async () => {
    await expect(createTestDatabase({ env: {}, prefix: 'x"; DROP' })).rejects.toThrow(/prefix/);
  });
});
