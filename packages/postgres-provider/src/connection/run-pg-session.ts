import { drizzle } from 'drizzle-orm/node-postgres';
import type { Pool, PoolClient } from 'pg';
import { cancelPgBackend, type PgClientConstructor } from './cancel-pg-backend.js';
import type { PostgresDrizzle } from './postgres-database.js';

/**
 * Runs `work` on one client checked out of `pool`, and never waits on a connection that can no
 * longer answer:
 * - while checked out, the client has an `'error'` listener (pg emits `'error'` on a client whose
 *   socket dies, and an unheard `'error'` kills the process); the call then rejects at once with a
 *   `Connection terminated: …` error (toMemoryError makes it a retryable ProviderUnavailableError);
 * - when `signal` aborts (caller gave up, deadline passed) the call stops waiting at once, the
 *   client's socket is destroyed and the statement is cancelled on a separate short-lived connection
 *   (best effort: behind a partition the server only notices when its socket does);
 * - a broken or abandoned client is released with an error, so the pool discards it.
 * @throws the abort reason when `signal` aborts, or the connection error when the socket fails
 */
export async function runPgSession<T>(pool: Pool, Client: PgClientConstructor, signal: AbortSignal, work: (db: PostgresDrizzle) => Promise<T>): Promise<T> {
  signal.throwIfAborted();
  const client = await connectUnlessAborted(pool, signal);
  let failure: Error | undefined;
  let stop: (error: Error) => void = () => undefined;
  const stopped = new Promise<never>((_, reject) => {
    stop = reject;
  });
  const onError = (error: Error): void => {
    failure ??= new Error(`Connection terminated: ${error.message}`, { cause: error });
    stop(failure);
  };
  const onAbort = (): void => {
    if (failure) return;
    failure = signal.reason instanceof Error ? signal.reason : new Error('the call ended', { cause: signal.reason });
    const processId = (client as unknown as { processID: number | null }).processID;
    destroySocket(client);
    if (processId !== null) cancelPgBackend(Client, pool.options, processId);
    stop(failure);
  };
  client.on('error', onError);
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    if (signal.aborted) onAbort();
    return await Promise.race([work(drizzle({ client, casing: 'snake_case' }) as unknown as PostgresDrizzle), stopped]);
  } finally {
    signal.removeEventListener('abort', onAbort);
    // A broken client may still emit 'error' while the pool ends it: it keeps its listener for good.
    if (failure) client.release(failure);
    else {
      client.off('error', onError);
      client.release();
    }
  }
}

/** `pool.connect()`, abandoned when `signal` aborts; a connection that arrives after that goes back to the pool. */
async function connectUnlessAborted(pool: Pool, signal: AbortSignal): Promise<PoolClient> {
  const connecting = pool.connect();
  let onAbort: () => void = () => undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason instanceof Error ? signal.reason : new Error('the call ended', { cause: signal.reason }));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([connecting, aborted]);
  } catch (error) {
    connecting.then((late) => late.release(), () => undefined);
    throw error;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/** Destroys the client's socket now: behind a partition a graceful end would wait forever. */
function destroySocket(client: PoolClient): void {
  // end() marks the client as ending, so its pending query fails with "Connection terminated" and no 'error' follows.
  client.end().catch(() => undefined);
  (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
}
