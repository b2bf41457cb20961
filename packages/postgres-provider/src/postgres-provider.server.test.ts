import { createServer } from 'node:net';
import { ConflictError, ProviderTimeoutError, ProviderUnavailableError, ValidationError } from '@memgate/core';
import { createTestDatabase, memoryProviderTestSuite, type TestDatabase } from '@memgate/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresMemoryProvider } from './create-postgres-memory-provider.js';
import { journalEntries } from './migration-journal.test-support.js';
import { toMemoryError } from './errors/to-memory-error.js';

// A fresh database for this file on the local server (or the one MEMGATE_TEST_PG_URL / DATABASE_URL names).
let database: TestDatabase;
let databaseUrl: string;
let pool: pg.Pool;

beforeAll(async () => {
  database = await createTestDatabase({ prefix: 'memgate_pg' });
  databaseUrl = database.url;
  pool = new pg.Pool({ connectionString: databaseUrl, max: 8 });
  // pool.end() resolves before its idle clients have closed; the database's DROP ... WITH (FORCE) can then
  // terminate one (57P01), which pg-pool re-emits on the pool: without a listener that is an uncaught exception.
  pool.on('error', () => undefined);
}, 60_000);

afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

// The conformance suite comes first (STYLE.md rule 9): every test gets its own provider over one shared pool.
memoryProviderTestSuite(it, () => createPostgresMemoryProvider({ name: 'postgres-server', pool }), { timeoutMs: 20_000 });

describe('postgres provider on the PostgreSQL server', () => {
  it('applies the committed base migrations through the migrator and skips the pgvector set where the server has no pgvector', async () => {
    const provider = createPostgresMemoryProvider({ connectionString: databaseUrl });
    const { vector, driver } = await provider.getClient();
    const applied = await pool.query('select hash from drizzle.__memgate_postgres_migrations');
    const tables = await pool.query("select table_name from information_schema.tables where table_schema = 'public' order by table_name");
    const available = await pool.query("select count(*)::int as n from pg_available_extensions where name = 'vector'");
    expect({ driver, vector, migrations: applied.rowCount }).toEqual({ driver: 'pg', vector: available.rows[0].n > 0, migrations: journalEntries('migrations') });
    expect(tables.rows.map((row) => row.table_name)).toEqual(vector ? ['memories', 'memory_embeddings', 'memory_history'] : ['memories', 'memory_history']);
    expect(provider.capabilities.vectorSearch).toBe(vector);
    await provider.close();
  });

  it('opens no connection at construction, and concurrent first calls share one start-up', async () => {
    // Counted by application name, so the shared pool's own connections coming and going do not matter.
    const applicationName = `lazy_${Date.now()}`;
    const connections = async () => (await pool.query('select count(*)::int as n from pg_stat_activity where application_name = $1', [applicationName])).rows[0].n;
    const provider = createPostgresMemoryProvider({ connectionString: `${databaseUrl}?application_name=${applicationName}`, poolSize: 2 });
    expect(await connections()).toBe(0);
    const [first, second] = await Promise.all([provider.getClient(), provider.getClient()]);
    expect(first).toBe(second);
    expect(await connections()).toBeGreaterThan(0);
    await provider.close();
  });

  it('a closed port is a retryable ProviderUnavailableError, and the next call tries again', async () => {
    const port = await closedPort();
    const provider = createPostgresMemoryProvider({ connectionString: `postgres://postgres@127.0.0.1:${port}/none` });
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const error = await provider.probe().catch((caught: unknown) => caught);
      expect(ProviderUnavailableError.isInstance(error)).toBe(true);
      expect((error as ProviderUnavailableError).isRetryable).toBe(true);
    }
    await provider.close();
  });

  it('maps real server errors: admin shutdown (57P01) and too many connections are retryable, statement timeout is a timeout, duplicates conflict, bad input is a ValidationError', async () => {
    const client = new pg.Client({ connectionString: databaseUrl });
    client.on('error', () => undefined);
    await client.connect();
    const timeout = await client.query("set statement_timeout = '20ms'; select pg_sleep(1)").catch((error: unknown) => error);
    await client.query('set statement_timeout = 0');
    const duplicate = await client.query('create temp table t (id int primary key); insert into t values (1), (1)').catch((error: unknown) => error);
    const badInput = await client.query("select 'abc'::int").catch((error: unknown) => error);
    const { rows } = await client.query('select pg_backend_pid() as pid');
    const terminated = client.query('select pg_sleep(5)').catch((error: unknown) => error);
    await pool.query('select pg_terminate_backend($1)', [rows[0].pid]);
    const shutdown = await terminated;
    await client.end().catch(() => undefined);
    const tooMany = Object.assign(new Error('sorry, too many clients already'), { code: '53300' });

    expect(ProviderTimeoutError.isInstance(toMemoryError(timeout, 'p'))).toBe(true);
    expect(ConflictError.isInstance(toMemoryError(duplicate, 'p'))).toBe(true);
    expect(ValidationError.isInstance(toMemoryError(badInput, 'p'))).toBe(true);
    for (const error of [shutdown, tooMany]) {
      const mapped = toMemoryError(error, 'p');
      expect(ProviderUnavailableError.isInstance(mapped) && mapped.isRetryable).toBe(true);
    }
  });

  it('a call past its deadline rejects with ProviderTimeoutError and its statement is cancelled on the server', async () => {
    const applicationName = `deadline_${Date.now()}`;
    const provider = createPostgresMemoryProvider({ connectionString: `${databaseUrl}?application_name=${applicationName}` });
    await provider.probe();
    // Another session holds the table, so the provider's read waits on the server until something stops it.
    const locker = await pool.connect();
    await locker.query('begin; lock table memories in access exclusive mode');
    const waiting = async () => (await pool.query("select count(*)::int as n from pg_stat_activity where application_name = $1 and state = 'active'", [applicationName])).rows[0].n;
    try {
      const started = Date.now();
      const error = await provider.get('any-id', { deadline: Date.now() + 300 }).catch((caught: unknown) => caught);
      expect(ProviderTimeoutError.isInstance(error)).toBe(true);
      expect(Date.now() - started).toBeLessThan(2_000);
      let remaining = await waiting();
      for (let attempt = 0; attempt < 50 && remaining > 0; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        remaining = await waiting();
      }
      expect(remaining).toBe(0);
    } finally {
      await locker.query('rollback');
      locker.release();
      await provider.close();
    }
  });

  it('an id that is not in the database is NotFound for update and delete, and null for get', async () => {
    const provider = createPostgresMemoryProvider({ pool });
    expect(await provider.get('no-such-memory')).toBeNull();
    await expect(provider.update('no-such-memory', { memory: 'x' })).rejects.toMatchObject({ name: 'Memory_NotFoundError' });
    await expect(provider.delete('no-such-memory')).rejects.toMatchObject({ name: 'Memory_NotFoundError' });
    await provider.close();
  });
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
