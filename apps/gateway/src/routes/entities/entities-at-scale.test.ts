import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPostgresMemoryProvider } from '@memgate/postgres';
import { createTestDatabase, type TestDatabase } from '@memgate/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callGateway } from '../../testing/call-gateway.js';
import { spawnMemgate, type SpawnedMemgate } from '../../testing/spawn-memgate.js';

const key = 'entities-at-scale-admin-key-0123456789';
const memoriesPerUser = 500;
const users = 40; // 20,000 memories

let memories: TestDatabase;
let state: TestDatabase;
let gateway: SpawnedMemgate;
beforeAll(async () => {
  [memories, state] = await Promise.all([createTestDatabase({ prefix: 'memgate_entities' }), createTestDatabase({ prefix: 'memgate_state' })]);
  const provider = createPostgresMemoryProvider({ name: 'postgres', connectionString: memories.url });
  try {
    for (let user = 0; user < users; user += 1) {
      await provider.add(Array.from({ length: memoriesPerUser }, (_, index) => ({ userId: `user-${String(user).padStart(2, '0')}`, agentId: index % 2 === 0 ? 'even' : 'odd', memory: `memory ${index} of user ${user}` })));
    }
  } finally {
    await provider.close();
  }
  gateway = await spawnMemgate({ MEMGATE_ADMIN_KEY: key, MEMGATE_STATE_URL: state.url, MEMGATE_DATA_DIR: mkdtempSync(join(tmpdir(), 'memgate-entities-')), DATABASE_URL: memories.url });
}, 120_000);
afterAll(async () => {
  await gateway?.stop();
  await Promise.all([memories?.drop(), state?.drop()]);
}, 30_000);

describe('GET /v1/entities/ over 20,000 memories on PostgreSQL', () => {
  it('counts every entity from a GROUP BY (the provider\'s aggregateEntities), not by paging through every memory', async () => {
    await callGateway(gateway.url, key, 'GET', '/v1/entities/'); // warm the connection pool
    const started = performance.now();
    const listed = await callGateway(gateway.url, key, 'GET', '/v1/entities/');
    const tookMs = performance.now() - started;
    console.info(`entities at 20,000 memories: ${JSON.stringify({ tookMs: Math.round(tookMs) })}`);
    expect(listed.status).toBe(200);
    const entities = (listed.body.results ?? listed.body) as { type: string; name: string; total_memories: number }[];
    expect(entities.filter((entity) => entity.type === 'user')).toHaveLength(users);
    expect(entities.every((entity) => entity.type !== 'user' || entity.total_memories === memoriesPerUser)).toBe(true);
    expect(entities.filter((entity) => entity.type === 'agent').map((entity) => [entity.name, entity.total_memories])).toEqual([
      ['even', (users * memoriesPerUser) / 2],
      ['odd', (users * memoriesPerUser) / 2],
    ]);
    // The scan it replaces read 20 pages of 1000 (0.9 s on the embedded default); a GROUP BY on the indexed columns is far below that.
    expect(tookMs).toBeLessThan(500);
  }, 60_000);
});
