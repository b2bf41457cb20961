import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createTestDatabase, type TestDatabase } from '@memgate/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callGateway as call } from '../testing/call-gateway.js';
import { spawnMemgate, type SpawnedMemgate } from '../testing/spawn-memgate.js';

/**
 * Rate limits shared through Redis by running `memgate serve` processes. The two replicas have state
 * stores and memories of their own (databases on the PostgreSQL server), so the only thing they share is the Redis: a limit
 * that holds across them holds through it. One takes the Redis from MEMGATE_RATE_LIMIT_REDIS_URL, the
 * other from the config file. A third points at a Redis that is not there: it limits on its own.
 */

// The real Redis on the machine (REDIS_URL overrides it); this run's buckets carry a prefix of their own.
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const keyPrefix = `memgate-test:edge:${randomUUID()}:`;
const adminKey = 'edge-redis-admin-key-0123456789abcdefghijk';
const redis = new Redis(redisUrl, { lazyConnect: true });

let first: SpawnedMemgate;
let second: SpawnedMemgate;
let stranded: SpawnedMemgate;
const databases: TestDatabase[] = [];

/** A state store and a memory database of its own for one gateway. */
async function ownDatabases(): Promise<{ MEMGATE_STATE_URL: string; MEMGATE_MEMORY_URL: string }> {
  const [state, memory] = await Promise.all([createTestDatabase({ prefix: 'memgate_edge_redis_state' }), createTestDatabase({ prefix: 'memgate_edge_redis_memory' })]);
  databases.push(state, memory);
  return { MEMGATE_STATE_URL: state.url, MEMGATE_MEMORY_URL: memory.url };
}

beforeAll(async () => {
  const directory = mkdtempSync(join(tmpdir(), 'memgate-edge-redis-'));
  const config = (name: string, edge: unknown): string => {
    const path = join(directory, `${name}.json`);
    writeFileSync(path, JSON.stringify({ edge }));
    return path;
  };
  const edge = { rateLimit: { rpm: 1, burst: 4 }, trustedProxies: ['127.0.0.1'], authFailuresPerMinute: 3, rateLimitRedisKeyPrefix: keyPrefix };
  // No load shedding: a busy machine's event-loop stall at start must not turn these answers into 503s.
  const env = { MEMGATE_ADMIN_KEY: adminKey, MEMGATE_SHED_EVENT_LOOP_DELAY_MS: '0' };
  const [one, two, three] = await Promise.all([ownDatabases(), ownDatabases(), ownDatabases()]);
  [first, second, stranded] = await Promise.all([
    spawnMemgate({ ...env, ...one, MEMGATE_DATA_DIR: join(directory, 'one'), MEMGATE_CONFIG: config('from-env', edge), MEMGATE_RATE_LIMIT_REDIS_URL: redisUrl }),
    spawnMemgate({ ...env, ...two, MEMGATE_DATA_DIR: join(directory, 'two'), MEMGATE_CONFIG: config('from-file', { ...edge, rateLimitStore: 'redis', rateLimitRedisUrl: redisUrl }) }),
    // Port 1: nothing listens there, every command fails.
    spawnMemgate({ ...env, ...three, MEMGATE_DATA_DIR: join(directory, 'three'), MEMGATE_CONFIG: config('stranded', { ...edge, rateLimitRedisUrl: 'redis://127.0.0.1:1' }) }),
  ]);
}, 120_000);

afterAll(async () => {
  await Promise.all([first?.stop(), second?.stop(), stranded?.stop()]);
  const keys = await redis.keys(`${keyPrefix}*`);
  if (keys.length > 0) await redis.unlink(...keys);
  await redis.quit();
  await Promise.all(databases.map((database) => database.drop()));
}, 30_000);

describe('rate limits shared through Redis by two gateway processes with state stores of their own', () => {
  it('refuses the (burst+1)-th request of one key on either process, the bucket being in Redis', async () => {
    const answers = [];
    for (let index = 0; index < 4; index += 1) answers.push(await call(index % 2 === 0 ? first.url : second.url, adminKey, 'GET', '/v1/ping/'));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    expect(answers.map((answer) => answer.headers.get('x-ratelimit-remaining'))).toEqual(['3', '2', '1', '0']);
    for (const gateway of [first, second]) {
      const refused = await call(gateway.url, adminKey, 'GET', '/v1/ping/');
      expect(refused.status).toBe(429);
      // One request a minute: the next token is at least half a minute away.
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(30);
    }
    // The bucket is in Redis under the configured prefix, empty, and kept until it has refilled (4 minutes).
    const bucket = await redis.hgetall(`${keyPrefix}rate:key:admin`);
    expect(Number(bucket.tokens)).toBeLessThan(1);
    expect(await redis.pttl(`${keyPrefix}rate:key:admin`)).toBeGreaterThan(200_000);
  }, 60_000);

  it('throttles failed authentications per client address across the processes', async () => {
    const from = { 'x-forwarded-for': '203.0.113.66' };
    const wrong = 'mg_live_0000000000000000000000000000000000000000';
    const failures = [];
    for (let index = 0; index < 4; index += 1) failures.push((await call(index % 2 === 0 ? first.url : second.url, wrong, 'GET', '/v1/ping/', undefined, from)).status);
    expect(failures).toEqual([401, 401, 401, 401]);
    // The fourth failure found the shared bucket empty: both processes now answer that address 429.
    expect((await call(second.url, wrong, 'GET', '/v1/ping/', undefined, from)).status).toBe(429);
    expect((await call(first.url, wrong, 'GET', '/v1/ping/', undefined, from)).status).toBe(401);
    expect((await call(first.url, wrong, 'GET', '/v1/ping/', undefined, from)).status).toBe(429);
    // Another address is not throttled.
    expect((await call(first.url, wrong, 'GET', '/v1/ping/', undefined, { 'x-forwarded-for': '203.0.113.67' })).status).toBe(401);
  }, 60_000);
});

describe('a gateway whose Redis is unreachable', () => {
  it('fails open to its in-process buckets (the limit still holds per process) and logs the failure', async () => {
    const statuses = [];
    for (let index = 0; index < 5; index += 1) statuses.push((await call(stranded.url, adminKey, 'GET', '/v1/ping/')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
    expect(stranded.output()).toMatch(/"msg":"shared rate limits"/);
  }, 60_000);
});
