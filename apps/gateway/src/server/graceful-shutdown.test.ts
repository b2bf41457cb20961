import { mkdtempSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPostgresMemoryProvider } from '@memgate/postgres';
import { createTestDatabase, type TestDatabase } from '@memgate/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callGateway } from '../testing/call-gateway.js';
import { spawnMemgate, type SpawnedMemgate } from '../testing/spawn-memgate.js';

const key = 'graceful-shutdown-admin-key-0123456789';
const clientCount = 8;

/** What one request got: an answer, or the socket error that ended it. */
interface Outcome {
  readonly content: string;
  readonly userId: string;
  /** `Date.now()` when the outcome was known. */
  readonly at: number;
  readonly status?: number;
  readonly connection?: string | undefined;
  readonly retryAfter?: string | undefined;
  readonly reason?: string;
  /** The add's `event_id`, when it was answered 200. */
  readonly eventId?: string;
  /** The error code (`ECONNREFUSED`, `ECONNRESET`, …) when no answer came. */
  readonly error?: string;
  /** Whether the request went out on a kept-alive connection. */
  readonly reusedSocket: boolean;
}

/** Sends one `POST /v3/memories/add/` on `agent` and reports what came back; never rejects. */
function sendRequest(agent: Agent, url: string, method: string, path: string, body: unknown, meta: { content: string; userId: string }): Promise<Outcome> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve) => {
    const outgoing = request(`${url}${path}`, {
      method,
      agent,
      headers: { authorization: `Token ${key}`, ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }) },
    });
    outgoing.on('response', (incoming) => {
      let text = '';
      incoming.setEncoding('utf8');
      incoming.on('data', (chunk: string) => (text += chunk));
      incoming.on('end', () => {
        let reason: string | undefined;
        let eventId: string | undefined;
        try {
          ({ reason, event_id: eventId } = JSON.parse(text) as { reason?: string; event_id?: string });
        } catch {
          reason = undefined;
        }
        resolve({ ...meta, at: Date.now(), status: incoming.statusCode ?? 0, connection: incoming.headers.connection, retryAfter: incoming.headers['retry-after'], ...(reason ? { reason } : {}), ...(eventId ? { eventId } : {}), reusedSocket: outgoing.reusedSocket });
      });
      incoming.on('error', (error: NodeJS.ErrnoException) => resolve({ ...meta, at: Date.now(), error: error.code ?? error.message, reusedSocket: outgoing.reusedSocket }));
    });
    outgoing.on('error', (error: NodeJS.ErrnoException) => resolve({ ...meta, at: Date.now(), error: error.code ?? error.message, reusedSocket: outgoing.reusedSocket }));
    outgoing.end(payload);
  });
}

/** One keep-alive client adding memories back to back until a new connection is refused (the listener closed) or `stopAt`. */
async function addUntilRefused(url: string, client: number, stopAt: number): Promise<Outcome[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const userId = `shutdown-${client}`;
  const outcomes: Outcome[] = [];
  try {
    for (let index = 0; Date.now() < stopAt; index += 1) {
      const content = `client ${client} memory ${index}`;
      const outcome = await sendRequest(agent, url, 'POST', '/v3/memories/add/', { messages: [{ role: 'user', content }], user_id: userId, infer: false }, { content, userId });
      outcomes.push(outcome);
      if (outcome.error === 'ECONNREFUSED') break;
    }
  } finally {
    agent.destroy();
  }
  return outcomes;
}

/** Polls `check` every 50 ms until it returns true. */
async function within(limitMs: number, check: () => Promise<boolean> | boolean): Promise<void> {
  const until = Date.now() + limitMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`not within ${limitMs} ms`);
}

const ready = (url: string): Promise<void> => within(60_000, async () => (await fetch(`${url}/readyz`).catch(() => undefined))?.status === 200);

const exited = (gateway: SpawnedMemgate): Promise<{ code: number | null; at: number }> =>
  gateway.child.exitCode !== null ? Promise.resolve({ code: gateway.child.exitCode, at: Date.now() }) : new Promise((resolve) => gateway.child.once('exit', (code) => resolve({ code, at: Date.now() })));

/** The drain report of the `memgate stopped` log line. */
function stoppedLine(output: string): { drain: { drained: boolean; durationMs: number; inFlightAtStart: number; refused: number; cut: number }; shutdownMs: number } {
  const line = output.split('\n').find((candidate) => candidate.includes('"msg":"memgate stopped"'));
  if (!line) throw new Error(`no "memgate stopped" line in:\n${output}`);
  return JSON.parse(line);
}

/** Every memory's text a PostgreSQL provider holds. */
async function memoriesIn(url: string, name: string): Promise<string[]> {
  const provider = createPostgresMemoryProvider({ name, connectionString: url });
  try {
    const texts: string[] = [];
    for (let page = 1; ; page += 1) {
      const listed = await provider.list({ type: 'and', filters: [] }, { page, pageSize: 500 });
      texts.push(...listed.items.map((memory) => memory.memory));
      if (texts.length >= listed.total || listed.items.length === 0) return texts;
    }
  } finally {
    await provider.close();
  }
}

let primary: TestDatabase;
let backup: TestDatabase;
let state: TestDatabase;
let single: TestDatabase;
const spawned: SpawnedMemgate[] = [];

beforeAll(async () => {
  [primary, backup, state, single] = await Promise.all([
    createTestDatabase({ prefix: 'memgate_drain_a' }),
    createTestDatabase({ prefix: 'memgate_drain_b' }),
    createTestDatabase({ prefix: 'memgate_drain_state' }),
    createTestDatabase({ prefix: 'memgate_drain_one' }),
  ]);
}, 60_000);

afterAll(async () => {
  // Only the children this file started, if a failed test left one running.
  for (const gateway of spawned) if (gateway.child.exitCode === null && gateway.child.signalCode === null) gateway.child.kill('SIGKILL');
  await Promise.all([primary?.drop(), backup?.drop(), state?.drop(), single?.drop()]);
}, 30_000);

async function spawnTracked(env: Record<string, string>, args: readonly string[] = []): Promise<SpawnedMemgate> {
  const gateway = await spawnMemgate(env, args);
  spawned.push(gateway);
  return gateway;
}

describe('memgate serve: SIGTERM under eight keep-alive clients adding', () => {
  it('completes every accepted add, answers the rest 503 draining with Connection: close or refuses the connection, exits 0 within 10 s, and keeps every acknowledged add', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'memgate-drain-'));
    const config = join(directory, 'memgate.json');
    // Two providers: writes are journaled and the replicator runs, so the shutdown has to stop it too.
    writeFileSync(
      config,
      JSON.stringify({
        providers: [
          { name: 'pg-primary', provider_type: 'postgres', connection_string: primary.url, priority: 10 },
          { name: 'pg-backup', provider_type: 'postgres', connection_string: backup.url, priority: 20 },
        ],
      }),
    );
    const env = { MEMGATE_ADMIN_KEY: key, MEMGATE_STATE_URL: state.url, MEMGATE_DATA_DIR: join(directory, 'data') };
    const gateway = await spawnTracked(env, ['--config', config]);
    await ready(gateway.url);

    const loadStartedAt = Date.now();
    const clients = Array.from({ length: clientCount }, (_, client) => addUntilRefused(gateway.url, client, loadStartedAt + 30_000));
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const exit = exited(gateway);
    const signalAt = Date.now();
    gateway.child.kill('SIGTERM');
    const outcomes = (await Promise.all(clients)).flat();
    const { code, at: exitAt } = await exit;

    const acknowledged = outcomes.filter((outcome) => outcome.status === 200);
    const draining = outcomes.filter((outcome) => outcome.status === 503 && outcome.reason === 'draining');
    const overloaded = outcomes.filter((outcome) => outcome.status === 503 && outcome.reason === 'overloaded');
    const refusedConnections = outcomes.filter((outcome) => outcome.error === 'ECONNREFUSED');
    const unexplained = outcomes.filter((outcome) => !acknowledged.includes(outcome) && !draining.includes(outcome) && !overloaded.includes(outcome) && !refusedConnections.includes(outcome));
    const stopped = stoppedLine(gateway.output());
    console.log(
      JSON.stringify({
        figure: 'graceful-shutdown-under-load',
        clients: clientCount,
        signalToExitMs: exitAt - signalAt,
        drainMs: stopped.drain.durationMs,
        shutdownMs: stopped.shutdownMs,
        inFlightAtSignal: stopped.drain.inFlightAtStart,
        completedBeforeSignal: acknowledged.filter((outcome) => outcome.at < signalAt).length,
        completedAfterSignal: acknowledged.filter((outcome) => outcome.at >= signalAt).length,
        answered503Draining: draining.length,
        answered503Overloaded: overloaded.length,
        refusedConnections: refusedConnections.length,
        resetOrUnanswered: unexplained.length,
        exitCode: code,
      }),
    );

    expect(unexplained).toEqual([]);
    expect(code).toBe(0);
    expect(exitAt - signalAt).toBeLessThan(10_000);
    expect(stopped.drain).toMatchObject({ drained: true, cut: 0 });
    // The load was on: requests were in flight when the signal came, and completed after it.
    expect(stopped.drain.inFlightAtStart).toBeGreaterThan(0);
    expect(acknowledged.filter((outcome) => outcome.at >= signalAt).length).toBeGreaterThan(0);
    // Every client ended on a refused connection: its kept-alive one was closed by the drain, not reset.
    expect(refusedConnections).toHaveLength(clientCount);
    for (const answer of draining) expect(answer).toMatchObject({ connection: 'close', retryAfter: '1' });

    // Restarted on the same state store and config: every acknowledged add is there, and nothing else.
    const restarted = await spawnTracked(env, ['--config', config]);
    await ready(restarted.url);
    for (let client = 0; client < clientCount; client += 1) {
      const listed = await callGateway(restarted.url, key, 'POST', '/v3/memories/?page=1&page_size=1000', { filters: { user_id: `shutdown-${client}` } });
      expect(listed.status).toBe(200);
      const present = new Set<string>(listed.body.results.map((memory: { memory: string }) => memory.memory));
      const expected = new Set(acknowledged.filter((outcome) => outcome.userId === `shutdown-${client}`).map((outcome) => outcome.content));
      expect(present).toEqual(expected);
    }
    // Every acknowledged add's event was written before the stores closed (events are written behind the answer).
    const eventIds = acknowledged.map((outcome) => outcome.eventId);
    expect(eventIds.every((id) => typeof id === 'string')).toBe(true);
    const lastEvents = acknowledged.toSorted((left, right) => right.at - left.at).slice(0, 20);
    for (const outcome of lastEvents) expect((await callGateway(restarted.url, key, 'GET', `/v1/event/${outcome.eventId}/`)).status, `event of ${outcome.content}`).toBe(200);
    // The replicator resumed where the stopped one left off: both providers hold each acknowledged add exactly once.
    const expectedTexts = acknowledged.map((outcome) => outcome.content).sort();
    await within(20_000, async () => (await memoriesIn(backup.url, 'pg-backup')).length >= expectedTexts.length);
    expect((await memoriesIn(primary.url, 'pg-primary')).sort()).toEqual(expectedTexts);
    expect((await memoriesIn(backup.url, 'pg-backup')).sort()).toEqual(expectedTexts);
    await restarted.stop();
  }, 120_000);
});

describe('memgate serve: the drain, request by request', () => {
  const singleEnv = (directory: string, extra: Record<string, string> = {}) => ({ MEMGATE_ADMIN_KEY: key, MEMGATE_MEMORY_URL: single.url, MEMGATE_STATE_URL: single.url, MEMGATE_DATA_DIR: join(directory, 'data'), ...extra });

  /** Starts an add whose body is half sent, so it is in flight on the server; `finish()` sends the rest. */
  function halfSentAdd(url: string, content: string): { answer: Promise<Outcome>; finish: () => void } {
    const body = JSON.stringify({ messages: [{ role: 'user', content }], user_id: 'drain-user', infer: false });
    const half = Math.floor(body.length / 2);
    let finish = (): void => undefined;
    const answer = new Promise<Outcome>((resolve) => {
      const outgoing = request(`${url}/v3/memories/add/`, { method: 'POST', agent: false, headers: { authorization: `Token ${key}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } });
      const meta = { content, userId: 'drain-user' };
      outgoing.on('response', (incoming) => {
        incoming.resume();
        incoming.on('end', () => resolve({ ...meta, at: Date.now(), status: incoming.statusCode ?? 0, connection: incoming.headers.connection, reusedSocket: false }));
      });
      outgoing.on('error', (error: NodeJS.ErrnoException) => resolve({ ...meta, at: Date.now(), error: error.code ?? error.message, reusedSocket: false }));
      outgoing.write(body.slice(0, half));
      finish = () => outgoing.end(body.slice(half));
    });
    return { answer, finish };
  }

  it('on SIGINT: answers a kept-alive /readyz with 503 draining, refuses new connections, completes the request in flight with Connection: close, and exits 0', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'memgate-drain-sigint-'));
    const gateway = await spawnTracked(singleEnv(directory));
    await ready(gateway.url);
    const keptAlive = new Agent({ keepAlive: true, maxSockets: 1 });
    const meta = { content: '', userId: '' };
    expect((await sendRequest(keptAlive, gateway.url, 'GET', '/healthz', undefined, meta)).status).toBe(200);
    const inFlight = halfSentAdd(gateway.url, 'written across a SIGINT');
    // Time for the server to parse the headers: from then on the request is in flight.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const exit = exited(gateway);
    gateway.child.kill('SIGINT');
    await within(5_000, () => gateway.output().includes('"msg":"draining"'));

    const readiness = await sendRequest(keptAlive, gateway.url, 'GET', '/readyz', undefined, meta);
    expect(readiness).toMatchObject({ status: 503, reason: 'draining', connection: 'close', retryAfter: '1', reusedSocket: true });
    const fresh = await sendRequest(new Agent(), gateway.url, 'GET', '/healthz', undefined, meta);
    expect(fresh.error).toBe('ECONNREFUSED');

    inFlight.finish();
    expect(await inFlight.answer).toMatchObject({ status: 200, connection: 'close' });
    expect((await exit).code).toBe(0);
    expect(stoppedLine(gateway.output()).drain).toMatchObject({ drained: true, inFlightAtStart: 1, refused: 1, cut: 0 });
    keptAlive.destroy();
  }, 90_000);

  it('at MEMGATE_SHUTDOWN_TIMEOUT_MS cuts the requests still running, still closes the stores, and exits 1', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'memgate-drain-deadline-'));
    const gateway = await spawnTracked(singleEnv(directory, { MEMGATE_SHUTDOWN_TIMEOUT_MS: '1000' }));
    await ready(gateway.url);
    // Never finished: it is still running at the deadline.
    const stuck = halfSentAdd(gateway.url, 'never finished');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const exit = exited(gateway);
    const signalAt = Date.now();
    gateway.child.kill('SIGTERM');
    const { code, at } = await exit;
    expect(code).toBe(1);
    expect(at - signalAt).toBeGreaterThanOrEqual(1_000);
    expect(at - signalAt).toBeLessThan(3_000 + 2_000);
    expect((await stuck.answer).error).toBeDefined();
    expect(gateway.output()).toContain('shutdown deadline passed: 1 requests still running were cut');
    expect(stoppedLine(gateway.output()).drain).toMatchObject({ drained: false, cut: 1 });
  }, 90_000);
});
