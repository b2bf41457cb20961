import type { Client, ClientConfig } from 'pg';

/** The `pg.Client` class, passed in because `pg` is imported lazily. */
export type PgClientConstructor = new (config: ClientConfig) => Client;

/** How long the best-effort cancel may take, connecting included, in milliseconds. */
const cancelTimeoutMs = 2_000;

/**
 * Best effort, fire and forget: `pg_cancel_backend(processId)` on a new connection of its own
 * (never a pooled one, which may be exactly what is stuck), given at most {@link cancelTimeoutMs}
 * to connect and to answer. Failures are ignored: the caller has already stopped waiting.
 */
export function cancelPgBackend(Client: PgClientConstructor, config: ClientConfig, processId: number): void {
  const client = new Client({ ...config, connectionTimeoutMillis: cancelTimeoutMs, query_timeout: cancelTimeoutMs, statement_timeout: cancelTimeoutMs });
  client.on('error', () => undefined);
  const run = async (): Promise<void> => {
    try {
      await client.connect();
      await client.query('select pg_cancel_backend($1)', [processId]);
    } finally {
      // end() waits for the server's goodbye, which a partition never sends: destroy after the timeout.
      const ending = client.end();
      const timer = setTimeout(() => (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy(), cancelTimeoutMs);
      await ending.finally(() => clearTimeout(timer));
    }
  };
  run().catch(() => undefined);
}
