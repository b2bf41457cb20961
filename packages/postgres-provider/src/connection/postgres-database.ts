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
  /**
   * Runs one call's queries. On a server they run on one pooled connection. When `signal` aborts
   * (the caller gave up or the deadline passed) the session stops waiting at once, destroys that
   * connection's socket (the pool discards it) and cancels the statement with `pg_cancel_backend`
   * on a separate short-lived connection, best effort. When the connection dies (server killed,
   * reset) the session rejects with a `Connection terminated: …` error, which `toMemoryError`
   * makes a retryable ProviderUnavailableError. PGlite runs one statement at a time in this
   * process, so there it simply runs.
   */
  session<T>(signal: AbortSignal, work: (db: PostgresDrizzle) => Promise<T>): Promise<T>;
  /** True when the pgvector migrations were applied and vector search is available. */
  readonly vector: boolean;
  /** Closes what the provider opened itself (never an injected pool or PGlite). */
  close(): Promise<void>;
}
