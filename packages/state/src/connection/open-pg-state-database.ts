import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import type { Pool } from 'pg';
import * as tables from '../schema/all-tables.js';
import { listenOnPg } from './listen-on-pg.js';
import { stateMigrations } from './migrations-folder.js';
import type { StateDatabase, StateDrizzle } from './state-database.js';

/** Any int8 constant: serialises the migrations of gateways that start together. */
const migrationLockKey = 7_310_548_220_114;

/** Options of {@link openPgStateDatabase}. */
export interface OpenPgStateDatabaseOptions {
  readonly connectionString: string;
  /** Connections in the pool, besides the one that listens. Default 5. */
  readonly poolSize?: number;
}

/** Connects to a PostgreSQL server through `pg` and applies the migrations under an advisory lock. */
export async function openPgStateDatabase(options: OpenPgStateDatabaseOptions): Promise<StateDatabase> {
  const pg = await import('pg');
  const pool: Pool = new pg.default.Pool({ connectionString: options.connectionString, max: options.poolSize ?? 5, connectionTimeoutMillis: 10_000 });
  // An idle client that loses its connection emits 'error' on the pool; unhandled, it would crash the process.
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    try {
      await client.query('select pg_advisory_lock($1)', [migrationLockKey]);
      await migrate(drizzle({ client, casing: 'snake_case' }), stateMigrations);
    } finally {
      await client.query('select pg_advisory_unlock($1)', [migrationLockKey]).catch(() => undefined);
      client.release();
    }
    const db = drizzle({ client: pool, schema: tables, casing: 'snake_case' }) as unknown as StateDrizzle;
    return { driver: 'pg', db, notifications: { listen: (listener) => listenOnPg(options.connectionString, listener) }, close: () => pool.end() };
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
}
