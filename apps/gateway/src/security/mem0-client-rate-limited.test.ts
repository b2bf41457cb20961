import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@memgate/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callGateway } from '../testing/call-gateway.js';
import { spawnMemgate, type SpawnedMemgate } from '../testing/spawn-memgate.js';

// mem0ai reads these at module load: no telemetry to PostHog, identity files in a temp dir.
process.env.MEM0_TELEMETRY = 'false';
process.env.MEM0_DIR = mkdtempSync(join(tmpdir(), 'memgate-mem0-limited-'));
const { MemoryClient } = await import('mem0ai');

const adminKey = 'mem0-limited-admin-key-0123456789abcdefgh';
let gateway: SpawnedMemgate;

let state: TestDatabase | undefined;
let memory: TestDatabase | undefined;
beforeAll(async () => {
  // State and memories on the PostgreSQL server: two embedded databases would cost the start seconds.
  [state, memory] = await Promise.all([createTestDatabase({ prefix: 'memgate_mem0_limited_state' }), createTestDatabase({ prefix: 'memgate_mem0_limited_memory' })]);
  const directory = mkdtempSync(join(tmpdir(), 'memgate-mem0-limited-'));
  const config = join(directory, 'memgate.json');
  writeFileSync(config, JSON.stringify({ edge: { rateLimit: { rpm: 1, burst: 3 } } }));
  // No load shedding: a busy machine's event-loop stall at start must not turn these answers into 503s.
  gateway = await spawnMemgate({ MEMGATE_ADMIN_KEY: adminKey, MEMGATE_CONFIG: config, MEMGATE_STATE_URL: state!.url, MEMGATE_MEMORY_URL: memory!.url, MEMGATE_DATA_DIR: join(directory, 'data'), MEMGATE_SHED_EVENT_LOOP_DELAY_MS: '0' });
}, 90_000);

afterAll(async () => {
  await gateway?.stop();
  await Promise.all([state?.drop(), memory?.drop()]);
});

describe('the official mem0ai client against a rate-limited key', () => {
  it('surfaces the 429 as its RateLimitError once the key has spent its burst', async () => {
    const created = await callGateway(gateway.url, adminKey, 'POST', '/keys', { name: 'limited-agent', roles: ['reader'] });
    expect(created.status).toBe(201);
    const mem0 = new MemoryClient({ apiKey: created.body.key, host: gateway.url });
    let served = 0;
    let refusal: unknown;
    // A burst of 3 at one request a minute: well within 10 calls the client is refused.
    for (let call = 0; call < 10 && refusal === undefined; call += 1) {
      try {
        await mem0.getAll({ filters: { user_id: 'alice' } });
        served += 1;
      } catch (error) {
        refusal = error;
      }
    }
    expect(served).toBeGreaterThanOrEqual(1);
    expect(served).toBeLessThanOrEqual(3);
    expect(refusal).toMatchObject({ name: 'RateLimitError', errorCode: 'HTTP_429' });
  }, 30_000);
});
