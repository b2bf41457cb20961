import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@memgate/testkit';
import { createMem0WireServer, type Mem0WireServer } from '@memgate/testkit/mem0-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { callGateway } from '../testing/call-gateway.js';
import { spawnMemgate, type SpawnedMemgate } from '../testing/spawn-memgate.js';

// `retry_attempts` of the spec's provider config, honoured by a running `memgate serve`: how many times
// one request may retry that provider after a retryable failure (the other providers are tried first).
const key = 'retry-attempts-admin-key-0123456789abcd';
const searchPath = /^POST \/v3\/memories\/search\/$/;

let first: Mem0WireServer;
let second: Mem0WireServer;
let gateway: SpawnedMemgate | undefined;
const states: TestDatabase[] = [];

beforeAll(async () => {
  [first, second] = await Promise.all([createMem0WireServer(), createMem0WireServer()]);
});
afterEach(async () => {
  await gateway?.stop();
  gateway = undefined;
});
afterAll(async () => {
  await Promise.all([first?.close(), second?.close(), ...states.map((state) => state.drop())]);
});

/** Starts `memgate serve` over the two wire servers (first by priority) with these `retry_attempts`. */
async function serveWith(retryAttempts: { first: number; second: number }): Promise<SpawnedMemgate> {
  const directory = mkdtempSync(join(tmpdir(), 'memgate-retry-attempts-'));
  const config = join(directory, 'memgate.json');
  const provider = (name: string, server: Mem0WireServer, priority: number, retry: number) => ({ name, provider_type: 'mem0', connection_string: server.url, priority, retry_attempts: retry, settings: { mode: 'platform', apiKey: server.apiKey } });
  writeFileSync(
    config,
    JSON.stringify({
      providers: [provider('first', first, 10, retryAttempts.first), provider('second', second, 20, retryAttempts.second)],
      routing: { strategy: 'priority', retry: { max_attempts: 3, attempt_timeout_ms: 2000, hedge_reads_after_ms: false }, breaker: { failure_threshold: 10 } },
    }),
  );
  // Each gateway its own state store, on the PostgreSQL server (an embedded one costs each start seconds).
  const state = await createTestDatabase({ prefix: 'memgate_retry_attempts' });
  states.push(state);
  const started = await spawnMemgate({ MEMGATE_ADMIN_KEY: key, MEMGATE_STATE_URL: state.url, MEMGATE_DATA_DIR: join(directory, 'data') }, ['--config', config]);
  for (const server of [first, second]) {
    server.faults.reset();
    server.requests.length = 0;
  }
  return started;
}

const searches = (server: Mem0WireServer): number => server.requests.filter((request) => searchPath.test(`${request.method} ${request.path}`)).length;
const search = (base: string) => callGateway(base, key, 'POST', '/v3/memories/search/', { query: 'foxes', filters: { user_id: 'alice' } });

describe('retry_attempts from the config file, in a running memgate serve', () => {
  it('retry_attempts 2 on the first provider: when both fail once, the request goes first, second, then first again, and succeeds', async () => {
    gateway = await serveWith({ first: 2, second: 0 });
    Object.assign(first.faults, { failWith: 503, only: searchPath, times: 1 });
    Object.assign(second.faults, { failWith: 503, only: searchPath, times: 5 });
    const answer = await search(gateway.url);
    expect(answer.status, answer.text).toBe(200);
    expect(answer.headers.get('x-memgate-provider')).toBe('first');
    expect([searches(first), searches(second)]).toEqual([2, 1]);
  }, 60_000);

  it('retry_attempts 0 on both: each is tried once, and the request fails with 503 although max_attempts allows a third', async () => {
    gateway = await serveWith({ first: 0, second: 0 });
    Object.assign(first.faults, { failWith: 503, only: searchPath, times: 1 });
    Object.assign(second.faults, { failWith: 503, only: searchPath, times: 5 });
    const answer = await search(gateway.url);
    expect(answer.status).toBe(503);
    expect([searches(first), searches(second)]).toEqual([1, 1]);
  }, 60_000);
});
