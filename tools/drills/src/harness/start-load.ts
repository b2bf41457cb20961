import { randomUUID } from 'node:crypto';
import type { GatewayClient, GatewayResponse } from './gateway-client.js';
import type { LoadRecord } from './load-record.js';

/** Options of {@link startLoad}. */
export interface LoadOptions {
  readonly client: GatewayClient;
  /** Concurrent clients, each sending one request at a time. Default 4. */
  readonly clients?: number;
  /** Share of requests that are writes (`POST /v3/memories/add/`), in [0, 1]; the rest are searches. Default 0. */
  readonly writeRatio?: number;
  /** Pause between one client's requests, in milliseconds. Default 20 (keeps a 2-core machine responsive). */
  readonly pauseMs?: number;
  /** Per-request client timeout, in milliseconds (an unanswered request is an error). Default 5000. */
  readonly requestTimeoutMs?: number;
  /** Hard stop, whatever happens, in milliseconds. Default 600,000. */
  readonly maxDurationMs?: number;
  /** The mem0 `user_id` the load reads and writes. Default a random one. */
  readonly userId?: string;
  /**
   * Chooses each request instead of the default read/write mix (a journal drill writes elements a
   * history recorder tracks, say). Gets the client's index and its request count so far.
   */
  readonly nextRequest?: (client: number, sequence: number) => LoadRequest;
}

/** One request of the load: a mem0 API call with a JSON body. */
export interface LoadRequest {
  readonly op: 'read' | 'write';
  readonly method?: string;
  readonly path: string;
  readonly body?: unknown;
}

/** A running load: records every request until stopped. */
export interface RunningLoad {
  /** Every finished request so far, in order of completion (live array). */
  readonly records: readonly LoadRecord[];
  /** Stops sending, waits for the requests in flight, and resolves with every record. */
  stop(): Promise<readonly LoadRecord[]>;
}

const header = (response: GatewayResponse, name: string): string | undefined => {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * Starts a bounded load of mem0-API reads (`POST /v3/memories/search/`) and, by `writeRatio`, writes
 * (`POST /v3/memories/add/`) from several concurrent clients, recording each request's status,
 * latency, time and `x-memgate-provider`.
 */
export function startLoad(options: LoadOptions): RunningLoad {
  const { client, clients = 4, writeRatio = 0, pauseMs = 20, requestTimeoutMs = 5000, maxDurationMs = 600_000 } = options;
  const userId = options.userId ?? `drill-${randomUUID()}`;
  const records: LoadRecord[] = [];
  let stopped = false;
  const hardStop = setTimeout(() => (stopped = true), maxDurationMs);

  const defaultRequest = (index: number, sequence: number): LoadRequest =>
    Math.random() < writeRatio
      ? { op: 'write', path: '/v3/memories/add/', body: { messages: [{ role: 'user', content: `client ${index} note ${sequence} about foxes` }], user_id: userId, infer: false } }
      : { op: 'read', path: '/v3/memories/search/', body: { query: 'foxes', filters: { user_id: userId }, top_k: 5 } };
  const send = async (index: number, sequence: number): Promise<void> => {
    const request = (options.nextRequest ?? defaultRequest)(index, sequence);
    const op = request.op;
    const startedAt = performance.now();
    try {
      const response = await client.request(request.method ?? 'POST', request.path, { body: request.body, timeoutMs: requestTimeoutMs });
      const ok = response.status >= 200 && response.status < 300;
      records.push({
        client: index,
        op,
        startedAt,
        endedAt: performance.now(),
        latencyMs: performance.now() - startedAt,
        status: response.status,
        provider: header(response, 'x-memgate-provider'),
        fallbacks: Number(header(response, 'x-memgate-fallbacks') ?? 0),
        ...(ok ? {} : { error: JSON.stringify(response.body).slice(0, 300) }),
      });
    } catch (error) {
      records.push({ client: index, op, startedAt, endedAt: performance.now(), latencyMs: performance.now() - startedAt, status: 0, provider: undefined, fallbacks: 0, error: String(error).slice(0, 300) });
    }
  };
  const loop = async (index: number): Promise<void> => {
    for (let sequence = 0; !stopped; sequence += 1) {
      await send(index, sequence);
      if (pauseMs > 0 && !stopped) await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  };
  const loops = Promise.all(Array.from({ length: clients }, (_, index) => loop(index)));
  return {
    records,
    stop: async () => {
      stopped = true;
      clearTimeout(hardStop);
      await loops;
      return records;
    },
  };
}
