import type { AddressInfo } from 'node:net';
import { Server as NetServer } from 'node:net';
import type { Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type ServerOptions as HttpsServerOptions } from 'node:https';
import { performance } from 'node:perf_hooks';
import type { Server as TlsServer } from 'node:tls';
import { setTimeout as sleep } from 'node:timers/promises';
import { type HttpBindings, serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createEventLoopDelayMonitor } from './event-loop-delay-monitor.js';
import { refuseWhileDraining } from './refuse-while-draining.js';
import type { ShedReason } from './shed-reason.js';
import { shedWhenOverloaded } from './shed-when-overloaded.js';

/** Options of {@link startServer}. */
export interface StartServerOptions {
  /** Interface to listen on. Default `127.0.0.1`. */
  host?: string;
  /** TCP port; 0 picks a free one. Default 8080. */
  port?: number;
  /**
   * Data-plane requests get 503 `overloaded` while the event loop is more than this many milliseconds
   * behind (see `shedWhenOverloaded`). Default 0: never shed.
   */
  shedEventLoopDelayMs?: number;
  /** Told of each request the server answered 503 itself (draining or overloaded). */
  onShed?: (reason: ShedReason) => void;
  /** Serve HTTPS with these options (see `loadTlsServerOptions`). Default plain HTTP. */
  tls?: HttpsServerOptions;
}

/** What a drain did (see {@link RunningServer.close}). */
export interface ServerDrainReport {
  /** Whether every accepted request completed before the deadline. */
  readonly drained: boolean;
  /** From the start of the drain to the last connection closed, in milliseconds. */
  readonly durationMs: number;
  /** Requests being served when the drain began. */
  readonly inFlightAtStart: number;
  /** Requests that arrived on open connections during the drain and got 503 `draining`. */
  readonly refused: number;
  /** Requests still running at the deadline, whose connections were destroyed. */
  readonly cut: number;
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
   * Drains: stops accepting connections, tells every response still to be written to close its
   * connection, answers requests that arrive on open connections with 503 `draining`, waits for the
   * accepted requests to complete, then closes the idle connections. At `drainTimeoutMs` (default
   * 10,000) the remaining connections are destroyed. Idempotent: later calls get the first one's report.
   */
  drain(drainTimeoutMs?: number): Promise<ServerDrainReport>;
  /** {@link RunningServer.drain}, without the report. */
  close(drainTimeoutMs?: number): Promise<void>;
  /**
   * Replaces the certificate, key, client CA and revocation list of an HTTPS server (Node's
   * `setSecureContext`): new connections are verified against them, open ones keep what they had.
   * @throws Error on a plain HTTP server
   */
  setTlsOptions(options: HttpsServerOptions): void;
}

/**
 * How long an idle keep-alive connection is left open once the accepted requests are done. A client
 * may be writing its next request on it right now; closing it then would reset that request (HTTP/1.1
 * cannot tell a client to hold off). Busy clients use the time to send their next request, which gets
 * 503 `draining` with `Connection: close`; a connection idle past it most likely stays idle.
 */
const idleConnectionGraceMs = 250;

/** How often the drain checks on requests and connections. */
const drainPollMs = 10;

/**
 * Serves a Hono app over HTTP (or HTTPS, given `tls`) with @hono/node-server and resolves once it listens. In front of the app
 * sit the server's own gates: requests during a drain get 503 `draining`, data-plane requests while the
 * event loop is behind get 503 `overloaded`.
 */
export async function startServer(app: Pick<Hono, 'fetch'>, { host = '127.0.0.1', port = 8080, shedEventLoopDelayMs = 0, onShed, tls }: StartServerOptions = {}): Promise<RunningServer> {
  let draining = false;
  let refused = 0;
  const monitor = shedEventLoopDelayMs > 0 ? createEventLoopDelayMonitor() : undefined;
  const front = new Hono<{ Bindings: HttpBindings }>();
  const onRefused = (): void => {
    refused += 1;
    onShed?.('draining');
  };
  front.use('*', refuseWhileDraining({ isDraining: () => draining, onRefused }));
  if (monitor) front.use('*', shedWhenOverloaded({ monitor, thresholdMs: shedEventLoopDelayMs, onShed: () => onShed?.('overloaded') }));
  front.all('*', (c) => app.fetch(c.req.raw, c.env));

  const server = await new Promise<Server>((resolve, reject) => {
    // An https.Server is an http.Server in all the drain uses (request events, close*Connections).
    const transport = tls ? { createServer: createHttpsServer, serverOptions: tls } : {};
    const created = serve({ fetch: front.fetch, hostname: host, port, ...transport }, () => resolve(created as Server)) as Server;
    created.once('error', (error) => {
      monitor?.dispose();
      reject(error);
    });
  });
  const active = new Set<ServerResponse>();
  server.on('request', (_request, response) => {
    active.add(response);
    response.once('close', () => active.delete(response));
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  const drainOnce = async (drainTimeoutMs: number): Promise<ServerDrainReport> => {
    const startedAt = performance.now();
    const inFlightAtStart = active.size;
    draining = true;
    // Responses not yet begun tell their clients not to reuse the connection.
    for (const response of active) if (!response.headersSent) response.setHeader('connection', 'close');
    let closed = false;
    server.once('close', () => (closed = true));
    // net.Server's close, not http.Server's: since Node 19 the latter also destroys every idle
    // keep-alive connection at once, resetting requests their clients are sending on them right now.
    NetServer.prototype.close.call(server);
    let cut = 0;
    while (!closed) {
      const elapsedMs = performance.now() - startedAt;
      if (elapsedMs >= drainTimeoutMs) {
        cut = active.size;
        server.closeAllConnections();
        break;
      }
      if (active.size === 0 && elapsedMs >= idleConnectionGraceMs) server.closeIdleConnections();
      await sleep(drainPollMs);
    }
    while (!closed) await sleep(drainPollMs);
    monitor?.dispose();
    return { drained: cut === 0, durationMs: Math.round(performance.now() - startedAt), inFlightAtStart, refused, cut };
  };

  let drainReport: Promise<ServerDrainReport> | undefined;
  const drain = (drainTimeoutMs = 10_000): Promise<ServerDrainReport> => (drainReport ??= drainOnce(drainTimeoutMs));
  return {
    url: `${tls ? 'https' : 'http'}://${urlHost}:${address.port}`,
    port: address.port,
    inFlight: () => active.size,
    drain,
    close: async (drainTimeoutMs) => void (await drain(drainTimeoutMs)),
    setTlsOptions(options) {
      if (!tls) throw new Error('setTlsOptions: this server serves plain HTTP');
      (server as unknown as TlsServer).setSecureContext(options);
    },
  };
}
