import type { Context } from 'hono';
import type { TLSSocket } from 'node:tls';

/**
 * The Node socket under a request served by `@hono/node-server` (it puts the `IncomingMessage` at
 * `c.env.incoming`), or `undefined` on other runtimes and in `app.request()` tests without an env.
 */
export function nodeSocket(c: Context): (Partial<TLSSocket> & { remoteAddress?: string }) | undefined {
  const env = c.env as { incoming?: { socket?: Partial<TLSSocket> & { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket;
}
