import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type * as tables from '../schema/all-tables.js';

/** The drizzle client of the store, the same type over `pg` and PGlite. */
export type StateDrizzle = PgDatabase<PgQueryResultHKT, typeof tables>;

/** Sends and receives PostgreSQL notifications on one channel. */
export interface NotificationChannel {
  /** Calls `listener` with each payload; resolves once listening. Returns a function that stops. */
  listen(listener: (payload: string) => void): Promise<() => Promise<void>>;
}

/** An open control-plane database, migrated. */
export interface StateDatabase {
  readonly driver: 'pg' | 'pglite';
  readonly db: StateDrizzle;
  readonly notifications: NotificationChannel;
  close(): Promise<void>;
}

/** The channel of the change feed. */
export const changeChannel = 'memgate_state_changes';
