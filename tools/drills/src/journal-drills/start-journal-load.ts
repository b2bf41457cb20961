import { randomUUID } from 'node:crypto';
import type { HistoryRecorder } from '@memgate/testkit';
import type { GatewayClient, GatewayResponse } from '../harness/gateway-client.js';
import type { LoadRecord } from '../harness/load-record.js';

/** Options of {@link startJournalLoad}. */
export interface JournalLoadOptions {
  /** The gateway client to use for each request (read at every request, so a restarted gateway is picked up). */
  readonly client: () => GatewayClient;
  readonly recorder: HistoryRecorder;
  /** Prefix of every element and `user_id`, unique per run. */
  readonly runId: string;
  /** Concurrent clients, each one request at a time. Default 4. */
  readonly clients?: number;
  /** Adds per batch: each batch is its own `user_id` and recorder process, so a listing reads one batch whole. Default 20. */
  readonly batchSize?: number;
  /** Every sixth operation of a client deletes one of its batch's acknowledged memories when true; else it adds. Default false. */
  readonly deletes?: boolean;
  /** Every sixth operation (the fourth of six) searches for the client's latest acknowledged add by its text, when true; else it adds. Default false. */
  readonly searches?: boolean;
  /**
   * Every sixth operation (the second of six) updates one of the client's live memories to a new text
   * (`PUT /v1/memories/{id}/`, retried like a write) when true; else it adds. Recorded for `checkHistory` as
   * an add of the new text and a delete of the old one, invoked and completed together: every final read
   * must hold the latest acknowledged text once and none of the ones it replaced (a lost update shows as
   * the new text lost and the old one resurrected), and the writer's later listings must show it (stale).
   * Own reads by id and own searches then expect the latest text. Default false.
   */
  readonly updates?: boolean;
  /** Pause between one client's requests, in milliseconds. Default 20. */
  readonly pauseMs?: number;
  /** Per-request client timeout, in milliseconds. Default 5000. */
  readonly requestTimeoutMs?: number;
  /**
   * How long a write that got no answer or a 5xx is retried with the same `Idempotency-Key` (a client riding
   * out a gateway restart), in milliseconds. Default 0: never retried, the failure is final.
   */
  readonly retryWritesForMs?: number;
}

/** A write the load made: its element, canonical id and whether it was deleted. */
export interface LoadElement {
  readonly element: string;
  readonly userId: string;
  id: string | undefined;
  /** Its latest acknowledged text: `element` until an update is acknowledged. */
  text: string;
  /** Acknowledged updates. */
  updates: number;
  /** An update got no definite answer: its text is unknown, so no check or write touches it again. */
  uncertain?: boolean;
  deleted: boolean;
  /** HTTP attempts of its add (more than 1: retried with the same `Idempotency-Key`). */
  attempts: number;
  /** The status of a delete that was tried and not acknowledged (0: no answer). */
  failedDeleteStatus?: number;
}

/** Read-your-writes checks by id (`GET /v1/memories/{id}/` of the client's latest acknowledged add). */
export interface OwnReadFigures {
  /** 200 with the memory's text. */
  seen: number;
  /** 404 or another text, for a memory the client added (acknowledged) and did not delete: a stale read. */
  missed: number;
  /** Up to five misses, for failure messages. */
  readonly samples: string[];
}

/** A running journal load. */
export interface JournalLoad {
  /** Acknowledged updates (with `updates`). */
  readonly updatesAcknowledged: () => number;
  /** Every HTTP exchange, for latency and failover figures (retries are one record each). */
  readonly records: readonly LoadRecord[];
  /** Every element the load tried to add, by element. */
  readonly elements: ReadonlyMap<string, LoadElement>;
  /** Every `user_id` used (one per batch). */
  readonly userIds: readonly string[];
  readonly ownReads: OwnReadFigures;
  /** Read-your-writes by search (with `searches`): the client's latest add found by `POST /v3/memories/search/`. */
  readonly ownSearches: OwnReadFigures;
  /** Stops sending, waits for the requests in flight. */
  stop(): Promise<void>;
}

const header = (response: GatewayResponse, name: string): string | undefined => {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
};
const ok = (status: number): boolean => status >= 200 && status < 300;

/**
 * Steady mixed load over the mem0 API from several clients, recorded for `checkHistory`: adds
 * (`POST /v3/memories/add/`, `infer: false`, one `Idempotency-Key` each), reads of the client's own
 * latest write by id, listings of the client's current batch (`POST /v3/memories/`), and optionally
 * deletes (`DELETE /v1/memories/{id}/`) and updates (`PUT /v1/memories/{id}/`). Each client works through batches of `batchSize` adds, one
 * `user_id` and one recorder process per batch.
 */
export function startJournalLoad(options: JournalLoadOptions): JournalLoad {
  const { clients = 4, batchSize = 20, deletes = false, searches = false, updates = false, pauseMs = 20, requestTimeoutMs = 5000, retryWritesForMs = 0, recorder, runId } = options;
  const records: LoadRecord[] = [];
  const elements = new Map<string, LoadElement>();
  const userIds: string[] = [];
  const ownReads: OwnReadFigures = { seen: 0, missed: 0, samples: [] };
  const ownSearches: OwnReadFigures = { seen: 0, missed: 0, samples: [] };
  let stopped = false;
  let updatesAcknowledged = 0;

  /** One HTTP exchange, recorded; resolves to the response or undefined when none came. */
  const exchange = async (index: number, op: 'read' | 'write', method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<GatewayResponse | undefined> => {
    const startedAt = performance.now();
    try {
      const response = await options.client().request(method, path, { body, headers, timeoutMs: requestTimeoutMs });
      const endedAt = performance.now();
      records.push({ client: index, op, startedAt, endedAt, latencyMs: endedAt - startedAt, status: response.status, provider: header(response, 'x-memgate-provider'), fallbacks: Number(header(response, 'x-memgate-fallbacks') ?? 0), ...(ok(response.status) ? {} : { retryAfter: header(response, 'retry-after'), error: `${method} ${path}: ${JSON.stringify(response.body).slice(0, 300)}` }) });
      return response;
    } catch (error) {
      const endedAt = performance.now();
      records.push({ client: index, op, startedAt, endedAt, latencyMs: endedAt - startedAt, status: 0, provider: undefined, fallbacks: 0, error: `${method} ${path}: ${String(error).slice(0, 300)}` });
      return undefined;
    }
  };
  /**
   * A write with retries on no answer / 5xx, under one idempotency key; throws with the last failure.
   * `requestId` names it in the gateway's decision history (`<element>--add`, `<element>--delete`), for diagnostics.
   */
  const write = async (index: number, method: string, path: string, requestId: string, body?: unknown, onAttempt?: () => void): Promise<GatewayResponse> => {
    const key = randomUUID();
    const giveUpAt = performance.now() + retryWritesForMs;
    for (;;) {
      onAttempt?.();
      const response = await exchange(index, 'write', method, path, body, { 'idempotency-key': key, 'x-request-id': requestId });
      if (response && ok(response.status)) return response;
      const retryable = !response || response.status >= 500;
      if (!retryable || performance.now() >= giveUpAt || stopped) {
        throw Object.assign(new Error(response ? `${response.status} ${JSON.stringify(response.body).slice(0, 200)}` : 'no answer'), { definite: response !== undefined && response.status < 500 });
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };

  const loop = async (index: number): Promise<void> => {
    let batch = -1;
    let added = batchSize;
    let userId = '';
    let process = '';
    let mine: LoadElement[] = [];
    for (let step = 0; !stopped; step += 1) {
      if (added >= batchSize) {
        batch += 1;
        added = 0;
        userId = `${runId}-c${index}-b${batch}`;
        process = `c${index}/b${batch}`;
        userIds.push(userId);
        mine = [];
      }
      const kind = step % 6;
      const live = mine.filter((element) => element.id && !element.deleted && !element.uncertain);
      if (kind === 2 && live.length > 0) {
        const latest = live.at(-1)!;
        const response = await exchange(index, 'read', 'GET', `/v1/memories/${latest.id}/`);
        if (response?.status === 200 && (response.body as { memory?: string }).memory === latest.text) ownReads.seen += 1;
        else if (response && (response.status === 404 || response.status === 200)) {
          ownReads.missed += 1;
          if (ownReads.samples.length < 5) ownReads.samples.push(`${latest.text} (${latest.id}): ${response.status} ${JSON.stringify(response.body).slice(0, 200)}`);
        }
      } else if (kind === 3 && searches && live.length > 0) {
        const latest = live.at(-1)!;
        const response = await exchange(index, 'read', 'POST', '/v3/memories/search/', { query: latest.text, filters: { user_id: userId }, top_k: 5 });
        if (response?.status === 200) {
          const found = ((response.body as { results?: { memory: string }[] }).results ?? []).some((memory) => memory.memory === latest.text);
          if (found) ownSearches.seen += 1;
          else {
            ownSearches.missed += 1;
            if (ownSearches.samples.length < 5) ownSearches.samples.push(`${latest.text} (${latest.id}): ${JSON.stringify(response.body).slice(0, 200)}`);
          }
        }
      } else if (kind === 4) {
        await recorder
          .read(process, async () => {
            const response = await exchange(index, 'read', 'POST', '/v3/memories/?page=1&page_size=100', { filters: { user_id: userId } });
            if (!response || response.status !== 200) throw new Error(`listing answered ${response?.status ?? 'nothing'}`);
            return ((response.body as { results: { memory: string }[] }).results ?? []).map((memory) => memory.memory);
          })
          .catch(() => undefined);
      } else if (kind === 1 && updates && live.length > 0) {
        // Any live memory, the latest included (the own-read check then expects its new text).
        const target = live[Math.floor(Math.random() * live.length)]!;
        const text = `${target.element}-u${target.updates + 1}`;
        const added = recorder.invoke(process, 'add', text);
        const replaced = recorder.invoke(process, 'delete', target.text);
        await write(index, 'PUT', `/v1/memories/${target.id}/`, `${target.element}--update-${target.updates + 1}`, { text }).then(
          () => {
            added.ok();
            replaced.ok();
            target.text = text;
            target.updates += 1;
            updatesAcknowledged += 1;
          },
          (error: Error & { definite?: boolean }) => {
            if (error.definite) {
              added.fail(error);
              replaced.fail(error);
            } else {
              added.info(error);
              replaced.info(error);
              target.uncertain = true;
            }
          },
        );
      } else if (kind === 5 && deletes && live.length > 1) {
        // Not the latest: the own-read check keeps reading that one.
        const victim = live[Math.floor(Math.random() * (live.length - 1))]!;
        await recorder
          .run(process, 'delete', victim.text, () => write(index, 'DELETE', `/v1/memories/${victim.id}/`, `${victim.element}--delete`), (error) => (error as { definite?: boolean }).definite === true)
          .then(
            () => (victim.deleted = true),
            (error: Error) => (victim.failedDeleteStatus = Number(/^\d+/.exec(error.message)?.[0] ?? 0)),
          );
      } else {
        const element = `${runId}-c${index}-${step}`;
        const entry: LoadElement = { element, userId, id: undefined, text: element, updates: 0, deleted: false, attempts: 0 };
        elements.set(element, entry);
        mine.push(entry);
        added += 1;
        await recorder
          .run(process, 'add', element, async () => {
            const response = await write(index, 'POST', '/v3/memories/add/', `${element}--add`, { messages: [{ role: 'user', content: element }], user_id: userId, infer: false }, () => (entry.attempts += 1));
            entry.id = (response.body as { results?: { id: string }[] }).results?.[0]?.id;
          }, (error) => (error as { definite?: boolean }).definite === true)
          .catch(() => undefined);
      }
      if (pauseMs > 0 && !stopped) await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  };
  const loops = Promise.all(Array.from({ length: clients }, (_, index) => loop(index)));
  return {
    records,
    elements,
    userIds,
    ownReads,
    ownSearches,
    updatesAcknowledged: () => updatesAcknowledged,
    stop: async () => {
      stopped = true;
      await loops;
    },
  };
}
