import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';

/** A drizzle database over either driver; every query of the provider is written against this. */
export type PostgresDrizzle = PgDatabase<PgQueryResultHKT, Record<string, never>>;

/**
 * An open database: the drizzle handle, which driver is under it, and whether pgvector is usable.
 * Returned by `getClient()` (unstable).
 */
export interface PostgresDatabase {
  /** `pg` for a server, `pglite` for embedded PGlite. */
  readonly driver: 'pg' | 'pglite';
  /** The drizzle database. */
  readonly db: PostgresDrizzle;
  /** True when the pgvector migrations were applied and vector search is available. */
  readonly vector: boolean;
  /** Closes what the provider opened itself (never an injected pool or PGlite). */
  close(): Promise<void>;
}
