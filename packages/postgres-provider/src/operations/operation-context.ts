import type { MemoryProviderV1CallOptions } from '@memgate/core';
import { sql } from 'drizzle-orm';
import type { PostgresDatabase, PostgresDrizzle } from '../connection/postgres-database.js';
import type { Embedder } from '../embedder/create-embedder.js';

/** What every operation needs: the open database, the provider's name, the embedder and the call. */
export interface OperationContext {
  readonly database: PostgresDatabase;
  /**
   * Runs queries on the call's own connection (taken from the pool only for `work`, so a slow
   * embedder holds no connection), cancelled if the call ends first. Use it, not `database.db`.
   */
  withDatabase<T>(work: (db: PostgresDrizzle) => Promise<T>): Promise<T>;
  readonly providerId: string;
  readonly embedder: Embedder | undefined;
  readonly signal: AbortSignal;
  readonly options: MemoryProviderV1CallOptions | undefined;
}

/** A transaction handle; the same query API as the database. */
export type Transaction = Parameters<Parameters<PostgresDrizzle['transaction']>[0]>[0];

/**
 * Runs `work` in one transaction. On a server, a call with a deadline also bounds every statement
 * with `SET LOCAL statement_timeout`, so the server stops work the caller no longer waits for.
 * Inside, use only `tx`: a second connection would wait on this one.
 */
export async function transact<T>(context: OperationContext, work: (tx: Transaction) => Promise<T>): Promise<T> {
  return context.withDatabase((db) =>
    db.transaction(async (tx) => {
      const deadline = context.options?.deadline;
      if (deadline !== undefined && context.database.driver === 'pg') {
        const remaining = Math.max(1, Math.ceil(deadline - Date.now()));
        await tx.execute(sql`select set_config('statement_timeout', ${String(remaining)}, true)`);
      }
      return work(tx);
    }),
  );
}
