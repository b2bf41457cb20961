import type { Client } from 'pg';
import { changeChannel } from './state-database.js';

/** Reconnect delays after the listening connection drops, in milliseconds. */
const reconnectDelaysMs = [100, 250, 500, 1_000, 2_000, 5_000];

/**
 * Listens on the change channel over a dedicated connection (LISTEN needs one session), and
 * reconnects with backoff when it drops. `listener('')` is called after a reconnect: notifications
 * may have been missed, so subscribers re-read everything.
 * @returns a function that stops listening and closes the connection
 */
export async function listenOnPg(connectionString: string, listener: (payload: string) => void): Promise<() => Promise<void>> {
  const pg = await import('pg');
  let client: Client | undefined;
  let stopped = false;
  let attempt = 0;

  const connect = async (): Promise<void> => {
    const next = new pg.default.Client({ connectionString, connectionTimeoutMillis: 10_000 });
    next.on('notification', (message) => {
      if (message.channel === changeChannel) listener(message.payload ?? '');
    });
    // 'error' and 'end' both fire for one drop; only the current connection's first one counts.
    let down = false;
    const onDown = (): void => {
      if (down) return;
      down = true;
      if (client === next) reconnect();
    };
    next.on('error', onDown);
    next.on('end', onDown);
    await next.connect();
    await next.query(`listen ${changeChannel}`);
    client = next;
    attempt = 0;
  };

  let reconnecting = false;
  const reconnect = (): void => {
    if (stopped || reconnecting) return;
    reconnecting = true;
    client = undefined;
    const delay = reconnectDelaysMs[Math.min(attempt, reconnectDelaysMs.length - 1)]!;
    attempt += 1;
    setTimeout(() => {
      connect().then(
        () => {
          reconnecting = false;
          listener('');
        },
        () => {
          reconnecting = false;
          reconnect();
        },
      );
    }, delay).unref();
  };

  await connect();
  return async () => {
    stopped = true;
    await client?.end().catch(() => undefined);
  };
}
