import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@memgate/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnMemgate, type SpawnedMemgate } from '../testing/spawn-memgate.js';
import { callGateway } from '../testing/call-gateway.js';

/**
 * Two `memgate serve` processes on one PostgreSQL state store: a key made on one works on the
 * other, its revocation reaches the other within a second (LISTEN/NOTIFY), and no plaintext key
 * is ever written to the store, the logs or the audit trail.
 */

const adminKey = 'replica-admin-key-0123456789abcdefghijkl';

const call = callGateway;

/** Every row of every table of the store's `memgate` schema, as text (through psql: the app needs no driver of its own). */
function dumpState(url: string): string {
  const tables = execFileSync('psql', [url, '-At', '-c', "select table_name from information_schema.tables where table_schema = 'memgate'"], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  return tables.map((table) => execFileSync('psql', [url, '-At', '-c', `select row_to_json(t)::text from memgate."${table}" t`], { encoding: 'utf8' })).join('\n');
}

let state: TestDatabase;
let first: SpawnedMemgate;
let second: SpawnedMemgate;

beforeAll(async () => {
  state = await createTestDatabase({ prefix: 'memgate_replicas' });
  const directory = mkdtempSync(join(tmpdir(), 'memgate-replicas-'));
  const env = { MEMGATE_ADMIN_KEY: adminKey, MEMGATE_STATE_URL: state.url, MEMGATE_MEMORY_URL: 'pglite://memory', MEMGATE_LOG_LEVEL: 'debug' };
  first = await spawnMemgate({ ...env, MEMGATE_DATA_DIR: join(directory, 'one') });
  second = await spawnMemgate({ ...env, MEMGATE_DATA_DIR: join(directory, 'two') });
}, 90_000);

afterAll(async () => {
  await Promise.all([first?.stop(), second?.stop()]);
  await state?.drop();
}, 30_000);

describe('keys shared by two gateway processes', () => {
  it('sees a key made on one process at the other, and its revocation there within one second', async () => {
    const created = await call(first.url, adminKey, 'POST', '/keys', { name: 'replicated', roles: ['reader'], scope: { user_id: 'alice' } });
    expect(created.status).toBe(201);
    const key = created.body.key as string;
    // The second process verifies (and caches) the key.
    expect((await call(second.url, key, 'GET', '/v1/ping/')).status).toBe(200);
    expect((await call(second.url, key, 'GET', '/v1/memories/?user_id=alice')).status).toBe(200);
    const revokedAt = Date.now();
    expect((await call(first.url, adminKey, 'DELETE', `/keys/${created.body.id}`)).status).toBe(200);
    let refusedAfter = Number.POSITIVE_INFINITY;
    while (Date.now() - revokedAt < 3000) {
      if ((await call(second.url, key, 'GET', '/v1/ping/')).status === 401) {
        refusedAfter = Date.now() - revokedAt;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    console.info(`revocation refused by the other process after ${refusedAfter} ms`);
    expect(refusedAfter).toBeLessThanOrEqual(1000);
    expect((await call(first.url, key, 'GET', '/v1/ping/')).status).toBe(401);
  }, 30_000);

  it('never writes a plaintext key to the state store, the logs or the audit trail', async () => {
    const keys: string[] = [];
    for (const name of ['plain-a', 'plain-b']) {
      const created = await call(first.url, adminKey, 'POST', '/keys', { name, roles: ['writer'] });
      keys.push(created.body.key);
      await call(second.url, created.body.key, 'POST', '/v3/memories/add/', { messages: [{ role: 'user', content: 'hello' }], user_id: 'bob', infer: false });
      const rotated = await call(second.url, adminKey, 'POST', `/keys/${created.body.id}/rotate`, { grace_period_seconds: 0 });
      expect(rotated.status).toBe(201);
      keys.push(rotated.body.key);
      // A refused attempt with the old key: the audit records its display prefix, never the key.
      expect((await call(first.url, created.body.key, 'GET', '/v1/ping/')).status).toBe(401);
    }
    const audit = await call(first.url, adminKey, 'GET', '/providers/security/audit?limit=1000');
    expect(audit.status).toBe(200);
    expect(audit.body.entries.some((entry: any) => entry.action === 'key.rotate')).toBe(true);
    expect(audit.body.entries.some((entry: any) => entry.action === 'auth.failure')).toBe(true);
    const places = { 'state store': dumpState(state.url), 'logs of the first process': first.output(), 'logs of the second process': second.output(), 'audit trail': audit.text };
    for (const key of [...keys, adminKey]) {
      const secret = key.slice(-20);
      for (const [place, text] of Object.entries(places)) expect(text.includes(secret), `${key.slice(0, 14)}… in the ${place}`).toBe(false);
    }
  }, 30_000);
});
