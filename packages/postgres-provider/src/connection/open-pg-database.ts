import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import type { Pool } from 'pg';
import { baseMigrations, vectorMigrations } from './migration-folders.js';
import type { PostgresDatabase, PostgresDrizzle } from './postgres-database.js';

/** Any int8 constant: serialises migrations of concurrent processes on one database. */
const migrationLockKey = 7_310_548_220_113;

/** Options of {@link openPgDatabase}. */
export interface OpenPgDatabaseOptions {
  /** Connection string, with env references already resolved; or an injected `pool`. */
  readonly connectionString?: string;
  readonly pool?: Pool;
  readonly poolSize: number;
  readonly statementTimeoutMs: number;
}

/**
 * Connects to a PostgreSQL server through `pg`, applies the base migrations and, where the
 * server offers pgvector, the vector migrations, under an advisory lock so that concurrent
 * gateways migrate one at a time.
 */
export async function openPgDatabase(options: OpenPgDatabaseOptions): Promise<PostgresDatabase> {
  const owned = options.pool === undefined;
  let pool: Pool;
  if (options.pool) pool = options.pool;
  else {
    const pg = await import('pg');
    pool = new pg.default.Pool({
      connectionString: options.connectionString,
      max: options.poolSize,
      connectionTimeoutMillis: 10_000,
      ...(options.statementTimeoutMs > 0 ? { statement_timeout: options.statementTimeoutMs } : {}),
    });
    // An idle client that loses its connection emits 'error' on the pool; unhandled, it would crash the process.
    pool.on('error', () => undefined);
  }
  try {
    const vector = await migrateWithLock(pool);
    const db = drizzle({ client: pool, casing: 'snake_case' }) as unknown as PostgresDrizzle;
    return { driver: 'pg', db, vector, session: (signal, work) => runSession(pool, signal, work), close: async () => (owned ? pool.end() : undefined) };
  } catch (error) {
    if (owned) await pool.end().catch(() => undefined);
    throw error;
  }
}

async function runSession<T>(pool: Pool, signal: AbortSignal, work: (db: PostgresDrizzle) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let cancelled = false;
  const onAbort = (): void => {
    cancelled = true;
    const processId = (client as unknown as { processID: number }).processID;
    pool.query('select pg_cancel_backend($1)', [processId]).catch(() => undefined);
  };
  signal.addEventListener('abort', onAbort, { once: true });
  if (signal.aborted) onAbort();
  try {
    return await work(drizzle({ client, casing: 'snake_case' }) as unknown as PostgresDrizzle);
  } finally {
    signal.removeEventListener('abort', onAbort);
    // A cancel may still be on its way: a discarded connection cannot pass it to someone else's query.
    client.release(cancelled ? true : undefined);
  }
}

async function migrateWithLock(pool: Pool): Promise<boolean> {
  const client = await pool.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [migrationLockKey]);
    const db = drizzle({ client, casing: 'snake_case' });
    await migrate(db, baseMigrations);
    const { rows } = await client.query<{ available: boolean }>("select exists (select 1 from pg_available_extensions where name = 'vector') as available");
    if (!rows[0]?.available) return false;
    try {
      await migrate(db, vectorMigrations);
      return true;
    } catch (error) {
      // The extension is installed on the host but this role may not create it (42501): run without vectors.
      if ((error as { cause?: { code?: string } }).cause?.code === '42501') return false;
      throw error;
    }
  } finally {
    await client.query('select pg_advisory_unlock($1)', [migrationLockKey]).catch(() => undefined);
    client.release();
  }
}
