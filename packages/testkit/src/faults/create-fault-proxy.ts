import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { noToxics, type FaultDirection } from './fault-proxy-toxics.js';
import { proxyConnection, type ProxiedConnection } from './proxied-connection.js';

/** Options of {@link createFaultProxy}. */
export interface FaultProxyOptions {
  /** Where connections are forwarded to. */
  readonly target: { readonly host: string; readonly port: number };
  /** Port to listen on. Default 0: a free port, kept across `down()`/`heal()`. */
  readonly listenPort?: number;
  /** Address to listen on. Default `127.0.0.1`. */
  readonly listenHost?: string;
}

/**
 * A TCP proxy that injects faults between a client and a server, in the manner of Toxiproxy.
 * Toxics act on live connections as well as new ones. Test-only: nothing in memgate itself can be
 * made to fail on purpose.
 */
export interface FaultProxy {
  /** The address clients connect to. */
  readonly host: string;
  /** The port clients connect to. */
  readonly port: number;
  /** `url` with its host and port replaced by the proxy's, e.g. a postgres:// URL of the target. */
  rewriteUrl(url: string): string;
  /** Delays data by `ms` ± `jitterMs` (uniform), without reordering. Default direction: downstream, so a round trip gains `ms`. */
  setLatency(ms: number, jitterMs?: number, direction?: FaultDirection): void;
  /** Caps throughput at `bytesPerSecond`. Default direction: downstream. */
  setBandwidth(bytesPerSecond: number, direction?: FaultDirection): void;
  /** Swallows all data both ways; connections stay open and new ones are accepted (a network partition). */
  blackhole(): void;
  /** Sends RST on every open connection and on each new one until `heal()`. */
  reset(): void;
  /** Delays passing a close from one side to the other by `ms`. */
  slowClose(ms: number): void;
  /** Closes a connection once `bytes` have passed in the given direction (default downstream). */
  closeAfterBytes(bytes: number, direction?: FaultDirection): void;
  /** Stops listening, so connections are refused, and closes the open ones. */
  down(): Promise<void>;
  /** Removes every fault and listens again on the same port. */
  heal(): Promise<void>;
  /** How many client connections are open. */
  openConnections(): number;
  /** Closes every connection and stops listening for good. Idempotent. */
  close(): Promise<void>;
}

const checkNonNegative = (name: string, value: number): void => {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a finite number >= 0, got ${value}`);
};

/**
 * Starts a fault proxy in front of `target` and resolves once it listens.
 * @throws Error when the listen port is taken
 */
export async function createFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const host = options.listenHost ?? '127.0.0.1';
  let toxics = noToxics();
  let resetting = false;
  let state: 'up' | 'down' | 'closed' = 'up';
  const connections = new Set<ProxiedConnection>();

  const onConnection = (client: Socket): void => {
    if (resetting) return void client.resetAndDestroy();
    client.pause();
    const target = createConnection({ host: options.target.host, port: options.target.port, allowHalfOpen: true });
    const connection = proxyConnection(client, target, () => toxics, () => connections.delete(connection));
    connections.add(connection);
    target.once('connect', () => client.resume());
  };
  const listen = (port: number): Promise<Server> =>
    new Promise((resolve, reject) => {
      const server = createServer({ allowHalfOpen: true, pauseOnConnect: true }, onConnection);
      server.once('error', reject);
      server.listen(port, host, () => resolve(server));
    });
  const stop = (server: Server, reset: boolean): Promise<void> => {
    for (const connection of [...connections]) connection.destroy(reset);
    return new Promise((resolve) => server.close(() => resolve()));
  };

  let server = await listen(options.listenPort ?? 0);
  const port = (server.address() as { port: number }).port;

  return {
    host,
    port,
    rewriteUrl(url) {
      const parsed = new URL(url);
      parsed.hostname = host;
      parsed.port = String(port);
      return parsed.toString();
    },
    setLatency(ms, jitterMs = 0, direction = 'downstream') {
      checkNonNegative('latency', ms);
      checkNonNegative('jitter', jitterMs);
      toxics = { ...toxics, latency: { ms, jitterMs, direction } };
    },
    setBandwidth(bytesPerSecond, direction = 'downstream') {
      if (!(bytesPerSecond > 0)) throw new RangeError(`bytesPerSecond must be > 0, got ${bytesPerSecond}`);
      toxics = { ...toxics, bandwidth: { bytesPerSecond, direction } };
    },
    blackhole() {
      toxics = { ...toxics, blackhole: true };
    },
    reset() {
      resetting = true;
      for (const connection of [...connections]) connection.destroy(true);
    },
    slowClose(ms) {
      checkNonNegative('slowClose', ms);
      toxics = { ...toxics, slowCloseMs: ms };
    },
    closeAfterBytes(bytes, direction = 'downstream') {
      checkNonNegative('closeAfterBytes', bytes);
      toxics = { ...toxics, closeAfterBytes: { bytes, direction } };
    },
    async down() {
      if (state !== 'up') return;
      state = 'down';
      await stop(server, false);
    },
    async heal() {
      toxics = noToxics();
      resetting = false;
      if (state !== 'down') return;
      server = await listen(port);
      state = 'up';
    },
    openConnections: () => connections.size,
    async close() {
      if (state === 'closed') return;
      const wasUp = state === 'up';
      state = 'closed';
      if (wasUp) await stop(server, false);
    },
  };
}
