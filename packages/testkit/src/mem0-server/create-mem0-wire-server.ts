import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMem0WireEvents, type Mem0WireEvents } from './mem0-wire-events.js';
import { createMem0WireFaults, takeRequestFault, type Mem0WireFaults } from './mem0-wire-faults.js';
import type { Mem0WireContext, Mem0WireRoute } from './mem0-wire-context.js';
import { createMem0WireStore, type Mem0WireStore } from './mem0-wire-store.js';
import { wireJson, type Mem0WireMode, type Mem0WireResponse, type RecordedMem0Request } from './mem0-wire-types.js';
import { ossRoutes } from './oss-routes.js';
import { platformItemRoutes } from './platform-item-routes.js';
import { platformMemoryRoutes } from './platform-memory-routes.js';
import { readMem0WireRequest, WireBodyError } from './read-mem0-wire-request.js';
import { sendMem0WireResponse } from './send-mem0-wire-response.js';

/** Options of {@link createMem0WireServer}. */
export interface Mem0WireServerOptions {
  /** Which surface to speak. Default `platform`. */
  mode?: Mem0WireMode;
  /** The key callers must present (`Token` on the Platform, `X-API-Key` or Bearer on OSS). Default `wire-test-key`. */
  apiKey?: string;
  /** Largest request body accepted, in bytes. Default 1 MiB. */
  maxBodyBytes?: number;
}

/** A running mem0 wire-format server on 127.0.0.1. */
export interface Mem0WireServer {
  /** Base URL, e.g. `http://127.0.0.1:40123` (no trailing slash). */
  readonly url: string;
  readonly port: number;
  readonly mode: Mem0WireMode;
  /** The key it accepts. */
  readonly apiKey: string;
  /** Fault switches; change them at any time. */
  readonly faults: Mem0WireFaults;
  /** Every request received, oldest first (ping included). Clear with `requests.length = 0`. */
  readonly requests: RecordedMem0Request[];
  /** The stored memories and their history. */
  readonly store: Mem0WireStore;
  /** Asynchronous events (adds and deletes). */
  readonly events: Mem0WireEvents;
  /** Forgets memories, events and recorded requests, and turns faults off. */
  reset(): void;
  /** Stops listening and drops every open connection (hung ones included). Idempotent. */
  close(): Promise<void>;
}

const routesByMode: Record<Mem0WireMode, Mem0WireRoute[]> = { platform: [...platformMemoryRoutes, ...platformItemRoutes], oss: ossRoutes };

/**
 * Starts a local HTTP server that speaks mem0's wire format (the hosted Platform or the self-hosted
 * OSS server, per `reference/mem0-api.md`): auth headers, paths, bodies, the non-uniform error bodies
 * and asynchronous events, over an in-memory store, with fault switches for failure tests.
 * Listens on 127.0.0.1, port 0.
 */
export async function createMem0WireServer(options: Mem0WireServerOptions = {}): Promise<Mem0WireServer> {
  const { mode = 'platform', apiKey = 'wire-test-key', maxBodyBytes = 1024 * 1024 } = options;
  const faults = createMem0WireFaults();
  const store = createMem0WireStore();
  const events = createMem0WireEvents(faults);
  const requests: RecordedMem0Request[] = [];
  const routes = routesByMode[mode];
  let url = '';

  const authorised = (request: RecordedMem0Request): boolean =>
    mode === 'platform'
      ? request.headers.authorization === `Token ${apiKey}`
      : request.headers['x-api-key'] === apiKey || request.headers.authorization === `Bearer ${apiKey}`;

  const serverError = (status: number): Mem0WireResponse =>
    mode === 'oss' && status === 502
      ? wireJson(502, { detail: 'The memory backend is unavailable.', code: 'provider_unavailable', request_id: randomUUID() })
      : wireJson(status, { detail: status === 500 ? 'Internal Server Error' : 'Service temporarily unavailable' });

  const route = (request: RecordedMem0Request): Mem0WireResponse => {
    if (!authorised(request)) {
      return mode === 'platform'
        ? wireJson(401, { detail: 'Invalid API key. Please check your API key and try again.' })
        : wireJson(401, { detail: 'Authentication required. Provide a Bearer token or X-API-Key header.' });
    }
    for (const candidate of routes) {
      if (candidate.method !== request.method) continue;
      const match = candidate.pattern.exec(request.path);
      if (!match) continue;
      const context: Mem0WireContext = { request, store, events, faults, url };
      return candidate.handle(context, match.slice(1).map((part) => decodeURIComponent(part)));
    }
    return wireJson(404, { detail: 'Not found.' });
  };

  const handle = async (incoming: IncomingMessage, response: ServerResponse): Promise<void> => {
    const extra: Record<string, string> = mode === 'oss' ? { 'x-request-id': randomUUID() } : {};
    let request: RecordedMem0Request;
    try {
      request = await readMem0WireRequest(incoming, maxBodyBytes);
    } catch (error) {
      const status = error instanceof WireBodyError ? error.status : 400;
      sendMem0WireResponse(response, wireJson(status, { detail: (error as Error).message }), 'none', extra);
      return;
    }
    requests.push(request);
    const faulted = takeRequestFault(faults, request.method, request.path);
    if (faulted && faults.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, faults.latencyMs));
    if (faulted && faults.hang) return; // never answer; close() drops the socket
    if (faulted && faults.failWith !== undefined) return sendMem0WireResponse(response, serverError(faults.failWith), 'none', extra);
    if (faulted && faults.rateLimitSeconds !== undefined) {
      const seconds = faults.rateLimitSeconds;
      return sendMem0WireResponse(response, wireJson(429, { detail: `Request was throttled. Expected available in ${seconds} seconds.` }, { 'retry-after': String(seconds) }), 'none', extra);
    }
    const corruption = faulted && faults.closeMidBody ? 'closeMidBody' : faulted && faults.malformedJson ? 'malformedJson' : 'none';
    sendMem0WireResponse(response, route(request), corruption, extra);
  };

  const server = createServer((incoming, response) => {
    handle(incoming, response).catch((error: unknown) => {
      if (!response.headersSent) sendMem0WireResponse(response, wireJson(500, { detail: String(error) }), 'none', {});
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  url = `http://127.0.0.1:${port}`;
  let closing: Promise<void> | undefined;
  return {
    url, port, mode, apiKey, faults, requests, store, events,
    reset() {
      store.clear();
      events.events.clear();
      requests.length = 0;
      faults.reset();
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        events.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
