/**
 * What a rate-limit check costs per request: the in-process bucket (@memgate/security's in-memory
 * store), the shared bucket in the state store on the PostgreSQL server (one upsert per take, what
 * every replica pays for an admitted request), the shared bucket in Redis (one EVALSHA of the Lua
 * token bucket per take; `MEMGATE_BENCH_REDIS_URL`, default the local server), and the layered store's
 * fast path (a refusal answered from the in-process copy, no round trip). Each take is timed on its own after a warm-up; keys rotate
 * over 1,000 buckets so the shared path is not one hot row.
 */
import { randomUUID } from 'node:crypto';
import { createInMemoryRateLimitStore, createLayeredRateLimitStore, createRedisRateLimitStore, type RateLimitStore } from '@memgate/security';
import { createStateStore } from '@memgate/state';
import { createTestDatabase } from '@memgate/testkit';
import { Redis } from 'ioredis';
import type { BenchFigure } from './bench-figure.js';
import { percentile, round } from './latency-percentiles.js';

const rule = { capacity: 1_000_000, refillPerSecond: 1_000_000 };
const keys = 1000;

/** Milliseconds per take, `samples` takes after `warmup` untimed ones. */
async function timeTakes(store: RateLimitStore, samples: number, warmup: number, cost = 1, ruleOfTake = rule): Promise<number[]> {
  const timings: number[] = [];
  for (let index = 0; index < samples + warmup; index += 1) {
    const started = performance.now();
    await store.consume(`key:${index % keys}`, ruleOfTake, Date.now(), cost);
    const elapsed = performance.now() - started;
    if (index >= warmup) timings.push(elapsed);
  }
  return timings;
}

const figures = (name: string, timings: number[], details: string): BenchFigure[] => [
  { name: `${name} p50`, value: round(percentile(timings, 50) * 1000, 2), unit: 'us', details },
  { name: `${name} p99`, value: round(percentile(timings, 99) * 1000, 2), unit: 'us', details },
];

export async function run(): Promise<BenchFigure[]> {
  const inProcess = await timeTakes(createInMemoryRateLimitStore(), 100_000, 10_000);
  const database = await createTestDatabase({ prefix: 'memgate_bench_rate_limits' });
  const state = await createStateStore({ url: database.url });
  try {
    const shared = await timeTakes(state.rateLimits, 2000, 200);
    const redisShared = await timeRedisTakes();
    // Every bucket refused once, then refused again from the in-process copy.
    const tight = { capacity: 1, refillPerSecond: 0.001 };
    const layered = createLayeredRateLimitStore({ shared: state.rateLimits });
    await timeTakes(layered, keys * 2, 0, 1, tight);
    const fastPath = await timeTakes(layered, 100_000, 10_000, 1, tight);
    return [
      ...figures('rate-limit check, in-process bucket', inProcess, `createInMemoryRateLimitStore, 100,000 takes over ${keys} keys`),
      ...figures('rate-limit check, shared bucket (PostgreSQL)', shared, `state store rateLimits on the local PostgreSQL 15 server, 2,000 admitted takes over ${keys} keys, one at a time`),
      ...figures('rate-limit check, shared bucket (Redis)', redisShared, `createRedisRateLimitStore on the local Redis (ioredis, one connection), 2,000 admitted takes over ${keys} keys, one at a time`),
      ...figures('rate-limit check, shared path refused in-process', fastPath, `createLayeredRateLimitStore over the PostgreSQL store, 100,000 takes of ${keys} empty buckets, no round trip`),
    ];
  } finally {
    await state.close();
    await database.drop();
  }
}

/** Admitted takes from the Redis store, its buckets removed afterwards. */
async function timeRedisTakes(): Promise<number[]> {
  const redis = new Redis(process.env.MEMGATE_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 });
  const keyPrefix = `memgate-bench:rate-limit:${randomUUID()}:`;
  try {
    return await timeTakes(createRedisRateLimitStore({ client: redis, keyPrefix }), 2000, 200);
  } finally {
    const written = await redis.keys(`${keyPrefix}*`);
    if (written.length > 0) await redis.unlink(...written);
    await redis.quit();
  }
}
