import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@memgate/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../cli/cli-command.js';
import { runCli } from '../cli/main.js';
import { callGateway as call, type GatewayAnswer } from '../testing/call-gateway.js';
import { spawnMemgate, type SpawnedMemgate } from '../testing/spawn-memgate.js';

/**
 * A key's quotas (memories written per UTC day, stored memories in its scope), set by `POST /keys`
 * or `memgate keys create --memories-per-day --stored-memories`, enforced by two running
 * `memgate serve` processes on one PostgreSQL state store (the daily count is shared through it).
 */

const adminKey = 'key-quota-admin-key-0123456789abcdefghijk';

let state: TestDatabase;
let first: SpawnedMemgate;
let second: SpawnedMemgate;

beforeAll(async () => {
  state = await createTestDatabase({ prefix: 'memgate_key_quotas' });
  const directory = mkdtempSync(join(tmpdir(), 'memgate-key-quotas-'));
  // No load shedding: a busy machine's event-loop stall at start must not turn these answers into 503s.
  const env = { MEMGATE_ADMIN_KEY: adminKey, MEMGATE_STATE_URL: state.url, MEMGATE_MEMORY_URL: 'pglite://memory', MEMGATE_SHED_EVENT_LOOP_DELAY_MS: '0' };
  // The first process seeds the store's providers; started together, two would both try (and one fail).
  first = await spawnMemgate({ ...env, MEMGATE_DATA_DIR: join(directory, 'one') });
  second = await spawnMemgate({ ...env, MEMGATE_DATA_DIR: join(directory, 'two') });
}, 120_000);

afterAll(async () => {
  await Promise.all([first?.stop(), second?.stop()]);
  await state?.drop();
}, 30_000);

const unique = (): string => Math.random().toString(36).slice(2, 10);
const add = (gateway: SpawnedMemgate, key: string, body: Record<string, unknown>) => call(gateway.url, key, 'POST', '/v1/memories/', { infer: false, ...body });
const listed = async (gateway: SpawnedMemgate, key: string, query: string): Promise<number> => ((await call(gateway.url, key, 'GET', `/v1/memories/?${query}`)).body as unknown[]).length;
const secondsToUtcMidnight = (): number => Math.ceil((86_400_000 - (Date.now() % 86_400_000)) / 1000);

/** The refusals of one key in a gateway's audit trail (written off the request path: read until `count` are there). */
async function quotaRefusals(gateway: SpawnedMemgate, keyId: string, count: number): Promise<any[]> {
  let found: any[] = [];
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const entries = (await call(gateway.url, adminKey, 'GET', '/providers/security/audit?limit=1000')).body.entries as any[];
    found = entries.filter((entry) => entry.actor === keyId && entry.status === 429);
    if (found.length >= count) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return found;
}

function expectQuotaRefusal(answer: GatewayAnswer, quota: string): void {
  expect(answer.status).toBe(429);
  expect(answer.body).toMatchObject({ quota, error: expect.stringMatching(new RegExp(`^${quota.replace('.', '\\.')}: `)) });
}

describe('memories written per day', () => {
  it('refuses the 4th memory of a key with memories_per_day 3 with 429, Retry-After to UTC midnight and an audit entry, on either process', async () => {
    const created = await call(first.url, adminKey, 'POST', '/keys', { name: 'daily', roles: ['writer'], quota: { memories_per_day: 3 } });
    expect(created.status).toBe(201);
    expect(created.body.quota).toEqual({ memories_per_day: 3, stored_memories: null });
    // Shown in the record on the other process too (the key store is shared).
    expect((await call(second.url, adminKey, 'GET', `/keys/${created.body.id}`)).body.quota).toEqual({ memories_per_day: 3, stored_memories: null });
    const { key, id } = created.body as { key: string; id: string };
    const user = `daily-${unique()}`;
    // Two on the first process (one request of two messages), one on the second: the count is shared.
    expect((await add(first, key, { user_id: user, messages: [{ role: 'user', content: 'one' }, { role: 'user', content: 'two' }] })).status).toBe(200);
    expect((await add(second, key, { user_id: user, messages: 'three' })).status).toBe(200);
    for (const gateway of [first, second]) {
      const before = secondsToUtcMidnight();
      const refused = await add(gateway, key, { user_id: user, messages: 'four' });
      expectQuotaRefusal(refused, 'quota.memories_per_day');
      expect(refused.body).toMatchObject({ limit: 3, used: 3, requested: 1 });
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(Math.min(before, secondsToUtcMidnight()) - 1);
      expect(retryAfter).toBeLessThanOrEqual(Math.max(before, secondsToUtcMidnight()) + 1);
    }
    // mem0's v3 add is refused too.
    expectQuotaRefusal(await call(second.url, key, 'POST', '/v3/memories/add/', { user_id: user, messages: 'five' }), 'quota.memories_per_day');
    // Nothing of the refused requests was written: 2 memories on the first process, 1 on the second.
    expect((await listed(first, key, `user_id=${user}`)) + (await listed(second, key, `user_id=${user}`))).toBe(3);
    // Each refusal is audited as a denied add naming the quota, in the audit chain both processes share.
    const refusals = await quotaRefusals(second, id, 3);
    expect(refusals).toHaveLength(3);
    for (const refusal of refusals) expect(refusal).toMatchObject({ action: 'memory.add', outcome: 'denied', status: 429, details: expect.objectContaining({ quota: 'quota.memories_per_day', limit: 3, used: 3, requested: 1 }) });
  }, 60_000);

  it('refuses a request that would pass the quota as a whole, and counts only memories written (a refused add gives its reservation back)', async () => {
    const created = await call(second.url, adminKey, 'POST', '/keys', { name: 'daily-scoped', roles: ['writer'], scope: { app_id: `acme-${unique()}` }, quota: { memories_per_day: 2 } });
    const { key } = created.body as { key: string };
    // Two memories for a key that may write two, into another tenant's app: refused by the scope (403), after the quota reserved them.
    for (let attempt = 0; attempt < 3; attempt += 1) expect((await add(first, key, { app_id: 'globex', messages: [{ role: 'user', content: 'a' }, { role: 'user', content: 'b' }] })).status).toBe(403);
    expect((await add(first, key, { user_id: 'u', messages: 'one' })).status).toBe(200);
    // Two more would be three: the whole request is refused, and one still fits.
    const refused = await add(second, key, { user_id: 'u', messages: [{ role: 'user', content: 'two' }, { role: 'user', content: 'three' }] });
    expectQuotaRefusal(refused, 'quota.memories_per_day');
    expect(refused.body).toMatchObject({ used: 1, requested: 2 });
    expect((await add(second, key, { user_id: 'u', messages: 'two' })).status).toBe(200);
    expectQuotaRefusal(await add(first, key, { user_id: 'u', messages: 'three' }), 'quota.memories_per_day');
  }, 60_000);

  it('is kept through rotation', async () => {
    const created = await call(first.url, adminKey, 'POST', '/keys', { name: 'rotated', roles: ['writer'], quota: { memories_per_day: 5, stored_memories: 7 } });
    const rotated = await call(second.url, adminKey, 'POST', `/keys/${created.body.id}/rotate`, { grace_period_seconds: 0 });
    expect(rotated.status).toBe(201);
    expect(rotated.body.quota).toEqual({ memories_per_day: 5, stored_memories: 7 });
  });
});

describe('stored memories in the key scope', () => {
  it('refuses an add once the scope holds stored_memories, counting that scope only, and admits again after a delete', async () => {
    const app = `stored-${unique()}`;
    const created = await call(first.url, adminKey, 'POST', '/keys', { name: 'stored', roles: ['writer', 'reader'], permissions: ['memory:delete'], scope: { app_id: app }, quota: { stored_memories: 2 } });
    expect(created.status).toBe(201);
    expect(created.body.quota).toEqual({ memories_per_day: null, stored_memories: 2 });
    const { key, id } = created.body as { key: string; id: string };
    // Another tenant's memories do not count.
    expect((await add(first, adminKey, { app_id: `other-${unique()}`, messages: [{ role: 'user', content: 'x' }, { role: 'user', content: 'y' }, { role: 'user', content: 'z' }] })).status).toBe(200);
    const one = await add(first, key, { user_id: 'u', messages: 'one' });
    expect(one.status).toBe(200);
    // Two at once would make three.
    expectQuotaRefusal(await add(first, key, { user_id: 'u', messages: [{ role: 'user', content: 'a' }, { role: 'user', content: 'b' }] }), 'quota.stored_memories');
    expect((await add(first, key, { user_id: 'u', messages: 'two' })).status).toBe(200);
    const refused = await add(first, key, { user_id: 'u', messages: 'three' });
    expectQuotaRefusal(refused, 'quota.stored_memories');
    expect(refused.body).toMatchObject({ limit: 2, used: 2, requested: 1 });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await listed(first, key, 'user_id=u')).toBe(2);
    const [audited] = await quotaRefusals(first, id, 1);
    expect(audited).toMatchObject({ action: 'memory.add', outcome: 'denied', details: expect.objectContaining({ quota: 'quota.stored_memories' }) });
    // A delete makes room.
    expect((await call(first.url, key, 'DELETE', `/v1/memories/${(one.body as { id: string }[])[0]!.id}/`)).status).toBe(200);
    expect((await add(first, key, { user_id: 'u', messages: 'three' })).status).toBe(200);
  }, 60_000);
});

describe('quota validation', () => {
  it.each([
    [{ memories_per_day: 0 }, 'quota.memories_per_day'],
    [{ memories_per_day: 2.5 }, 'quota.memories_per_day'],
    [{ stored_memories: 'many' }, 'quota.stored_memories'],
    [{ stored_memories: -3 }, 'quota.stored_memories'],
    [{}, 'quota'],
    [{ memories: 3 }, 'quota.memories'],
    ['3/day', 'quota'],
  ])('refuses quota %j with 400 naming %s', async (quota, field) => {
    const answer = await call(first.url, adminKey, 'POST', '/keys', { name: 'bad', quota });
    expect(answer.status).toBe(400);
    expect(answer.body.field).toBe(field);
  });
});

describe('memgate keys create --memories-per-day --stored-memories', () => {
  async function cli(args: readonly string[]): Promise<{ code: number; out: string; err: string }> {
    const io = { out: '', err: '', env: { MEMGATE_URL: first.url, MEMGATE_KEY: adminKey }, cwd: process.cwd() };
    const capture: CliIo = { ...io, stdout: (text) => void (io.out += text), stderr: (text) => void (io.err += text) };
    const code = await runCli(['keys', ...args], capture);
    return { code, out: io.out, err: io.err };
  }

  it('sets the quotas, shows them, enforces them, and names bad flags', async () => {
    // Bound to an app of its own: stored memories are counted in the key's scope.
    const created = await cli(['create', '--name', 'cli-quota', '--role', 'writer', '--scope', `app_id=cli-${unique()}`, '--memories-per-day', '1', '--stored-memories', '5']);
    expect(created.code).toBe(0);
    expect(created.out).toMatch(/^ {2}quota +1 memories\/day, 5 stored$/m);
    const key = /^ {2}(mg_live_\S+)$/m.exec(created.out)![1]!;
    expect((await add(second, key, { user_id: 'cli', messages: 'one' })).status).toBe(200);
    expectQuotaRefusal(await add(first, key, { user_id: 'cli', messages: 'two' }), 'quota.memories_per_day');
    expect(await cli(['create', '--name', 'bad', '--memories-per-day', 'lots'])).toMatchObject({ code: 2, err: expect.stringContaining('--memories-per-day must be a whole number from 1, got "lots"') });
    expect(await cli(['create', '--name', 'bad', '--stored-memories', '0'])).toMatchObject({ code: 2, err: expect.stringContaining('--stored-memories must be a whole number from 1, got "0"') });
    const without = await cli(['create', '--name', 'cli-free']);
    expect(without.out).toMatch(/^ {2}quota +none$/m);
  }, 30_000);
});
