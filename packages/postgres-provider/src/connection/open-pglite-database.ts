import type { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { baseMigrations, vectorMigrations } from './migration-folders.js';
import type { PostgresDatabase, PostgresDrizzle } from './postgres-database.js';

/** Options of {@link openPgliteDatabase}: a data directory (undefined: in memory), or an injected instance. */
export interface OpenPgliteDatabaseOptions {
  readonly dataDir?: string;
  readonly pglite?: PGlite;
}

/**
 * Opens embedded PGlite (PostgreSQL in WASM, in this process) with the pgvector extension loaded,
 * and applies both migration sets. An injected instance without pgvector runs without vectors.
 */
export async function openPgliteDatabase(options: OpenPgliteDatabaseOptions): Promise<PostgresDatabase> {
  let client = options.pglite;
  if (!client) {
    const [{ PGlite }, { vector }] = await Promise.all([import('@electric-sql/pglite'), import('@electric-sql/pglite-pgvector')]);
    client = await PGlite.create(options.dataDir, { extensions: { vector } });
  }
  const owned = options.pglite === undefined;
  const opened = client;
  try {
    const db = drizzle({ client: opened, casing: 'snake_case' });
    await migrate(db, baseMigrations);
    const { rows } = await opened.query<{ available: boolean }>("select exists (select 1 from pg_available_extensions where name = 'vector') as available");
    let vector = false;
    if (rows[0]?.available) {
      try {
        await migrate(db, vectorMigrations);
        vector = true;
      } catch {
        // The control file is there but the WASM module was not loaded into this instance: run without vectors.
        vector = false;
      }
    }
    const drizzleDb = db as unknown as PostgresDrizzle;
    return { driver: 'pglite', db: drizzleDb, vector, session: (_signal, work) => work(drizzleDb), close: async () => (owned ? opened.close() : undefined) };
  } catch (error) {
    if (owned) await opened.close().catch(() => undefined);
    throw error;
  }
}
