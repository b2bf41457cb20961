import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@memgate/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callGateway as call } from '../testing/call-gateway.js';
import { spawnMemgate, type SpawnedMemgate } from '../testing/spawn-memgate.js';

/**
 * The network edge of running `memgate serve` processes: two replicas on one PostgreSQL state store
 * that trust the loopback proxy, and a third that trusts no proxy. Rate limits and failed
 * authentications are counted in the shared store; `X-Forwarded-For` is believed only from a trusted
 * peer, read from the right.
 */

const adminKey = 'edge-admin-key-0123456789abcdefghijklmnop';

let state: TestDatabase;
let first: SpawnedMemgate;
let second: SpawnedMemgate;
let untrusting: SpawnedMemgate;

beforeAll(async () => {
  state = await createTestDatabase({ prefix: 'memgate_edge' });
  const directory = mkdtempSync(join(tmpdir(), 'memgate-edge-'));
  const config = (name: string, edge: unknown): string => {
    const path = join(directory, `${name}.json`);
    writeFileSync(path, JSON.stringify({ edge }));
    return path;
  };
  const trusting = config('trusting', { rateLimit: { rpm: 1, burst: 5 }, trustedProxies: ['127.0.0.1'], allowIps: ['127.0.0.1', '203.0.113.0/24'], authFailuresPerMinute: 3 });
  // No load shedding: a busy machine's event-loop stall at start must not turn these answers into 503s.
  const env = { MEMGATE_ADMIN_KEY: adminKey, MEMGATE_STATE_URL: state.url, MEMGATE_MEMORY_URL: 'pglite://memory', MEMGATE_SHED_EVENT_LOOP_DELAY_MS: '0' };
  // The first process seeds the store's providers; started together, two would both try (and one fail).
  first = await spawnMemgate({ ...env, MEMGATE_DATA_DIR: join(directory, 'one'), MEMGATE_CONFIG: trusting });
  [second, untrusting] = await Promise.all([
    spawnMemgate({ ...env, MEMGATE_DATA_DIR: join(directory, 'two'), MEMGATE_CONFIG: trusting }),
    spawnMemgate({ ...env, MEMGATE_DATA_DIR: join(directory, 'three'), MEMGATE_CONFIG: config('untrusting', { allowIps: ['203.0.113.0/24'] }) }),
  ]);
}, 120_000);

afterAll(async () => {
  await Promise.all([first?.stop(), second?.stop(), untrusting?.stop()]);
  await state?.drop();
}, 30_000);

describe('rate limits shared by two gateway processes', () => {
  it('refuses the (burst+1)-th request of one key on either process, with Retry-After and X-RateLimit headers', async () => {
    const created = await call(first.url, adminKey, 'POST', '/keys', { name: 'limited', roles: ['reader'] });
    expect(created.status).toBe(201);
    const key = created.body.key as string;
    const answers = [];
    for (let index = 0; index < 5; index += 1) answers.push(await call(index % 2 === 0 ? first.url : second.url, key, 'GET', '/v1/ping/'));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
    expect(answers.map((answer) => answer.headers.get('x-ratelimit-remaining'))).toEqual(['4', '3', '2', '1', '0']);
    expect(answers[0]!.headers.get('x-ratelimit-limit')).toBe('1');
    for (const gateway of [first, second]) {
      const refused = await call(gateway.url, key, 'GET', '/v1/ping/');
      expect(refused.status).toBe(429);
      expect(refused.body).toEqual({ detail: 'Rate limit exceeded.' });
      // One request a minute: the next token is at least half a minute away on a machine that took under 30 s so far.
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(30);
      expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(refused.headers.get('x-ratelimit-reset')).toBe(refused.headers.get('retry-after'));
    }
    // Another key has its own bucket.
    const other = await call(second.url, adminKey, 'POST', '/keys', { name: 'other', roles: ['reader'] });
    expect((await call(second.url, other.body.key, 'GET', '/v1/ping/')).status).toBe(200);
  }, 60_000);

  it('throttles failed authentications per client address across processes, good key included, other addresses untouched', async () => {
    const from = (address: string) => ({ 'x-forwarded-for': address });
    const wrong = 'mg_live_0000000000000000000000000000000000000000';
    expect((await call(first.url, wrong, 'GET', '/v1/ping/', undefined, from('203.0.113.66'))).status).toBe(401);
    expect((await call(second.url, wrong, 'GET', '/v1/ping/', undefined, from('203.0.113.66'))).status).toBe(401);
    expect((await call(first.url, wrong, 'GET', '/v1/ping/', undefined, from('203.0.113.66'))).status).toBe(401);
    // A fourth failure is refused by the shared bucket; from then on that process answers 429 to the
    // address, a good key included, without asking the store again.
    expect((await call(second.url, wrong, 'GET', '/v1/ping/', undefined, from('203.0.113.66'))).status).toBe(401);
    const throttled = await call(second.url, adminKey, 'GET', '/v1/ping/', undefined, from('203.0.113.66'));
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await call(first.url, wrong, 'GET', '/v1/ping/', undefined, from('203.0.113.66'))).status).toBe(401);
    expect((await call(first.url, adminKey, 'GET', '/v1/ping/', undefined, from('203.0.113.66'))).status).toBe(429);
    // Another address is not throttled.
    expect((await call(first.url, wrong, 'GET', '/v1/ping/', undefined, from('203.0.113.67'))).status).toBe(401);
  }, 60_000);
});

describe('X-Forwarded-For and the IP allow-list', () => {
  it('changes nothing when the peer is not a trusted proxy: a spoofed allowed address is still refused, and audited', async () => {
    const spoofed = await call(untrusting.url, adminKey, 'GET', '/v1/ping/', undefined, { 'x-forwarded-for': '203.0.113.5' });
    expect(spoofed.status).toBe(403);
    expect(spoofed.body.detail).toMatch(/address/);
  });

  it('takes the right-most untrusted address from a trusted proxy as the client', async () => {
    const key = (await call(first.url, adminKey, 'POST', '/keys', { name: 'forwarded', roles: ['reader'] })).body.key as string;
    // The client wrote 198.51.100.9 itself; the proxy chain ends at 203.0.113.5 (allowed) and the trusted loopback.
    expect((await call(first.url, key, 'GET', '/v1/ping/', undefined, { 'x-forwarded-for': '198.51.100.9, 203.0.113.5, 127.0.0.1' })).status).toBe(200);
    // The right-most untrusted hop is 198.51.100.9: outside the list, whatever the client put to its left.
    const refused = await call(first.url, key, 'GET', '/v1/ping/', undefined, { 'x-forwarded-for': '203.0.113.5, 198.51.100.9' });
    expect(refused.status).toBe(403);
    // Unparseable hops fail closed.
    expect((await call(first.url, key, 'GET', '/v1/ping/', undefined, { 'x-forwarded-for': '203.0.113.5, junk' })).status).toBe(403);
    // Data-plane refusals are audited off the request path: wait for the entry.
    let deniedFrom: string[] = [];
    for (let attempt = 0; attempt < 50 && !deniedFrom.includes('198.51.100.9'); attempt += 1) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 100));
      // Read from the store itself (through psql): the admin key's own rate limit is spent by now.
      deniedFrom = execFileSync('psql', [state.url, '-At', '-c', "select actor_ip from memgate.audit_entries where status = 403 and outcome = 'denied'"], { encoding: 'utf8' }).trim().split('\n');
    }
    expect(deniedFrom).toContain('198.51.100.9');
  }, 60_000);
});
