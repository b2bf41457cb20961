import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import type { Pool } from 'pg';
import { baseMigrations, vectorMigrations } from './migration-folders.js';
import { runPgSession } from './run-pg-session.js';
import type { PostgresDatabase, PostgresDrizzle } from './postgres-database.js';

/** Any int8 constant: serialises migrations of concurrent processes on one database. */
const migrationLockKey = 7_310_548_220_113;

/** How long the provider's own pool waits for a new connection, in milliseconds. */
const connectTimeoutMs = 5_000;

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
  const pg = await import('pg');
  let pool: Pool;
  if (options.pool) pool = options.pool;
  else {
    pool = new pg.default.Pool({
      connectionString: options.connectionString,
      max: options.poolSize,
      // A connect behind a partition would otherwise wait forever (calls stop waiting at their deadline anyway).
      connectionTimeoutMillis: connectTimeoutMs,
      // Lets the OS notice a dead peer on a connection idle in the pool.
      keepAlive: true,
      ...(options.statementTimeoutMs > 0 ? { statement_timeout: options.statementTimeoutMs } : {}),
    });
    // An idle client that loses its connection emits 'error' on the pool; unhandled, it would crash the process.
    pool.on('error', () => undefined);
  }
  try {
    const vector = await migrateWithLock(pool);
    const db = drizzle({ client: pool, casing: 'snake_case' }) as unknown as PostgresDrizzle;
    return { driver: 'pg', db, vector, session: (signal, work) => runPgSession(pool, pg.default.Client, signal, work), close: async () => (owned ? pool.end() : undefined) };
  } catch (error) {
    if (owned) await pool.end().catch(() => undefined);
    throw error;
  }
}

async function migrateWithLock(pool: Pool): Promise<boolean> {
  const client = await pool.connect();
  // A checked-out client has no listener of the pool's: a socket failure here must fail the migration, not the process.
  const onError = (): void => undefined;
  client.on('error', onError);
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
    const unlocked = await client.query('select pg_advisory_unlock($1)', [migrationLockKey]).then(
      () => true,
      () => false,
    );
    if (unlocked) client.off('error', onError);
    // A connection that could not unlock is broken (or still holds the lock): the pool discards it.
    client.release(unlocked ? undefined : new Error('advisory unlock failed'));
  }
}
