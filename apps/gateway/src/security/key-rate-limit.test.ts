import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@memgate/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../cli/cli-command.js';
import { runCli } from '../cli/main.js';
import { callGateway as call } from '../testing/call-gateway.js';
import { spawnMemgate, type SpawnedMemgate } from '../testing/spawn-memgate.js';

/** A key's own rate limit, set by `POST /keys` or `memgate keys create --rpm --burst`, on a running `memgate serve` with no default limit. */

const adminKey = 'key-rate-limit-admin-key-0123456789abcdef';
let gateway: SpawnedMemgate;
let databases: TestDatabase[] = [];

beforeAll(async () => {
  // State and memories on the PostgreSQL server: two embedded databases would cost the start seconds.
  databases = await Promise.all([createTestDatabase({ prefix: 'memgate_key_limit_state' }), createTestDatabase({ prefix: 'memgate_key_limit_memory' })]);
  const directory = mkdtempSync(join(tmpdir(), 'memgate-key-rate-limit-'));
  // No load shedding: a busy machine's event-loop stall at start must not turn these answers into 503s.
  gateway = await spawnMemgate({ MEMGATE_ADMIN_KEY: adminKey, MEMGATE_STATE_URL: databases[0]!.url, MEMGATE_MEMORY_URL: databases[1]!.url, MEMGATE_DATA_DIR: directory, MEMGATE_SHED_EVENT_LOOP_DELAY_MS: '0' });
}, 90_000);

afterAll(async () => {
  await gateway?.stop();
  await Promise.all(databases.map((database) => database.drop()));
});

async function cli(args: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  const io = { out: '', err: '', env: { MEMGATE_URL: gateway.url, MEMGATE_KEY: adminKey }, cwd: process.cwd() };
  const capture: CliIo = { ...io, stdout: (text) => void (io.out += text), stderr: (text) => void (io.err += text) };
  const code = await runCli(['keys', ...args], capture);
  return { code, out: io.out, err: io.err };
}

describe("a key's own rate limit", () => {
  it('is set by POST /keys, shown in the key record, and enforced: the (burst+1)-th request gets 429', async () => {
    const created = await call(gateway.url, adminKey, 'POST', '/keys', { name: 'limited', roles: ['reader'], rate_limit: { rpm: 1, burst: 2 } });
    expect(created.status).toBe(201);
    expect(created.body.rate_limit).toEqual({ rpm: 1, burst: 2 });
    expect((await call(gateway.url, adminKey, 'GET', `/keys/${created.body.id}`)).body.rate_limit).toEqual({ rpm: 1, burst: 2 });
    const statuses = [];
    for (let index = 0; index < 3; index += 1) statuses.push((await call(gateway.url, created.body.key, 'GET', '/v1/ping/')).status);
    expect(statuses).toEqual([200, 200, 429]);
    // A key without its own limit, on a gateway without a default, is not limited.
    const free = await call(gateway.url, adminKey, 'POST', '/keys', { name: 'free', roles: ['reader'] });
    expect(free.body.rate_limit).toBeNull();
    for (let index = 0; index < 5; index += 1) {
      const answer = await call(gateway.url, free.body.key, 'GET', '/v1/ping/');
      expect(answer.status).toBe(200);
      expect(answer.headers.get('x-ratelimit-limit')).toBeNull();
    }
  }, 30_000);

  it.each([
    [{ rpm: 0 }, 'rate_limit.rpm'],
    [{ rpm: 60, burst: 'many' }, 'rate_limit.burst'],
    [{ rpm: 60, bursts: 6 }, 'rate_limit'],
    ['600/min', 'rate_limit'],
  ])('refuses rate_limit %j with 400 naming %s', async (rateLimit, field) => {
    const answer = await call(gateway.url, adminKey, 'POST', '/keys', { name: 'bad', rate_limit: rateLimit });
    expect(answer.status).toBe(400);
    expect(answer.text).toContain(field);
  });

  it('is set by memgate keys create --rpm --burst, and bad flags are named', async () => {
    const created = await cli(['create', '--name', 'cli-limited', '--rpm', '1', '--burst', '1']);
    expect(created.code).toBe(0);
    expect(created.out).toMatch(/^ {2}rate limit +1\/min, burst 1$/m);
    const key = /^ {2}(mg_live_\S+)$/m.exec(created.out)![1]!;
    expect((await call(gateway.url, key, 'GET', '/v1/ping/')).status).toBe(200);
    const refused = await call(gateway.url, key, 'GET', '/v1/ping/');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-ratelimit-limit')).toBe('1');
    expect(await cli(['create', '--name', 'bad', '--rpm', 'fast'])).toMatchObject({ code: 2, err: expect.stringContaining('--rpm must be a whole number from 1, got "fast"') });
    expect(await cli(['create', '--name', 'bad', '--burst', '5'])).toMatchObject({ code: 2, err: expect.stringContaining('--burst needs --rpm') });
  }, 30_000);
});
