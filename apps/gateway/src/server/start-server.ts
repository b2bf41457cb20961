import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';

/** Options of {@link startServer}. */
export interface StartServerOptions {
  /** Interface to listen on. Default `127.0.0.1`. */
  host?: string;
  /** TCP port; 0 picks a free one. Default 8080. */
  port?: number;
}

/** A listening gateway. */
export interface RunningServer {
  /** The base URL, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  /** The port actually bound. */
  readonly port: number;
  /** Requests being served right now. */
  inFlight(): number;
  /**
   * Stops accepting connections, waits for in-flight requests to finish (at most `drainTimeoutMs`,
   * default 10,000 ms, after which the remaining connections are cut), then resolves. Idempotent.
   */
  close(drainTimeoutMs?: number): Promise<void>;
}

/** Serves a Hono app over HTTP with @hono/node-server and resolves once it listens. */
export async function startServer(app: Pick<Hono, 'fetch'>, { host = '127.0.0.1', port = 8080 }: StartServerOptions = {}): Promise<RunningServer> {
  let active = 0;
  const server = await new Promise<Server>((resolve, reject) => {
    const created = serve({ fetch: app.fetch, hostname: host, port }, () => resolve(created as Server)) as Server;
    created.once('error', reject);
  });
  server.on('request', (_request, response) => {
    active += 1;
    response.once('close', () => (active -= 1));
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    inFlight: () => active,
    close(drainTimeoutMs = 10_000) {
      closing ??= new Promise<void>((resolve) => {
        const timer = setTimeout(() => server.closeAllConnections(), drainTimeoutMs);
        timer.unref();
        // close() waits for active requests; idle keep-alive sockets would hold it open, so drop them now and as requests end.
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
        server.on('request', (_request, response) => response.once('close', () => server.closeIdleConnections()));
        const sweep = setInterval(() => server.closeIdleConnections(), 50);
        sweep.unref();
        server.once('close', () => clearInterval(sweep));
      });
      return closing;
    },
  };
}
