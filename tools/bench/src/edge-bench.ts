/**
 * The gateway's added latency with TLS and every edge check on versus off, side by side in one run.
 * One composition (`createApp` + `createGatewaySecurity` over the in-memory provider, `startServer` on
 * 127.0.0.1), served three ways:
 * - *off*: plain HTTP, the bootstrap admin key, no edge guards;
 * - *mTLS only*: HTTPS with a required, verified client certificate, no edge guards (the TLS share);
 * - *on (PostgreSQL)*: HTTPS with a required, CA-verified client certificate mapped to the admin key's
 *   principal (hybrid binding checked), the global IP allow-list, the key rate limit taken from the
 *   state store's shared buckets on the local PostgreSQL server (`createEdgeGuards`, as `memgate serve`
 *   builds them; the limit is high enough that every request is admitted, so every one pays the take);
 * - *on (Redis)*: the same with the shared buckets in the local Redis (`edge.rateLimitStore: "redis"`).
 * The direct provider call is the floor. Samples are interleaved (direct and the four paths,
 * in an order rotated every round) so drift hits all alike; one keep-alive connection per path, so the
 * TLS handshake is paid once (its rate is `tls-bench.ts`'s figure) and what is measured is per request.
 * Added latency = path percentile − direct percentile; "edge cost" = on percentile − off percentile.
 */
import { randomUUID } from 'node:crypto';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { MemoryProviderV1 } from '@memgate/core';
import { createApp, createEdgeGuards, createGatewaySecurity, startServer, type EdgeGuards, type RunningServer } from '@memgate/gateway';
import { createInMemoryRateLimitStore, createMtlsServerOptions, hashApiKey } from '@memgate/security';
import { createStateStore } from '@memgate/state';
import { createInMemoryMemoryProvider, createTestDatabase } from '@memgate/testkit';
import { Redis } from 'ioredis';
import type { BenchFigure } from './bench-figure.js';
import { percentile, round } from './latency-percentiles.js';
import { makeBenchPki } from './make-bench-pki.js';
import { postJson, timeMs as time } from './post-json.js';

const adminKey = 'bench-edge-admin-key-0123456789abcdefghi';
const samples = 1000;
const warmup = 150;
const redisUrl = process.env.MEMGATE_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A request of a path: search or add, body given. */
type Send = (path: string, body: string) => Promise<void>;

const labels = ['off', 'mTLS only', 'on (PostgreSQL)', 'on (Redis)'] as const;
type Label = (typeof labels)[number];

/** Runs `rounds` rounds of the direct call and every path, in an order rotated each round; keeps rounds after `warmup`. */
async function interleave(rounds: number, direct: (index: number) => Promise<unknown>, paths: Record<Label, (index: number) => Promise<void>>): Promise<Record<'direct' | Label, number[]>> {
  const timings: Record<'direct' | Label, number[]> = { direct: [], off: [], 'mTLS only': [], 'on (PostgreSQL)': [], 'on (Redis)': [] };
  const order: ('direct' | Label)[] = ['direct', ...labels];
  for (let index = 0; index < rounds + warmup; index += 1) {
    for (let step = 0; step < order.length; step += 1) {
      const label = order[(index + step) % order.length]!;
      const elapsed = await time(() => (label === 'direct' ? direct(index) : paths[label](index)));
      if (index >= warmup) timings[label].push(elapsed);
    }
  }
  return timings;
}

function figuresOf(operation: string, timings: Record<'direct' | Label, number[]>, details: string): BenchFigure[] {
  const figures: BenchFigure[] = [];
  for (const p of [50, 99]) {
    const at = (label: 'direct' | Label): number => percentile(timings[label], p);
    for (const label of labels) {
      figures.push({ name: `edge: ${operation} p${p} added latency, ${label}`, value: round(at(label) - at('direct'), 3), unit: 'ms', details: `${label} p${p} ${round(at(label), 3)} ms − direct p${p} ${round(at('direct'), 3)} ms; ${details}` });
    }
    for (const label of ['mTLS only', 'on (PostgreSQL)', 'on (Redis)'] as const) {
      figures.push({ name: `edge: ${operation} p${p} ${label === 'mTLS only' ? 'mTLS alone' : 'TLS + edge checks'}, ${label} − off`, value: round(at(label) - at('off'), 3), unit: 'ms', details: `${label} p${p} ${round(at(label), 3)} ms − off p${p} ${round(at('off'), 3)} ms; ${details}` });
    }
  }
  return figures;
}

export async function run(): Promise<BenchFigure[]> {
  const { ca, server, client } = await makeBenchPki();
  const provider: MemoryProviderV1 = createInMemoryMemoryProvider({ name: 'bench-edge' });
  const userId = `bench-edge-${Date.now()}`;
  await provider.add(Array.from({ length: 100 }, (_, index) => ({ userId, memory: `Note ${index} about foxes and hiking` })));
  const database = await createTestDatabase({ prefix: 'memgate_bench_edge' });
  const state = await createStateStore({ url: database.url });
  const keyPrefix = `memgate-bench:edge:${randomUUID()}:`;
  const servers: RunningServer[] = [];
  const agents: (HttpAgent | HttpsAgent)[] = [];
  const guards: EdgeGuards[] = [];
  try {
    const security = () => createGatewaySecurity({ adminKeyHash: hashApiKey(adminKey) });
    // Every request admitted (a burst no run reaches), so every one takes from the shared bucket; a
    // slow refill keeps the bucket from being full (a full one is deleted), so it stays to be checked.
    const edgeSettings = { allowIps: ['127.0.0.1/32', '::1/128'], rateLimit: { rpm: 60, burst: 1_000_000 } };
    // A failing shared store would leave figures of the in-process fallback: checked after the run.
    const sharedErrors: unknown[] = [];
    const onSharedError = (error: unknown): void => void sharedErrors.push(error);
    const clientCertificates = { required: true, identities: [{ id: 'svc:bench', subjectCommonName: 'bench-client', roles: ['admin'], apiKeyIds: ['admin'] }] };
    const mtlsOptions = createMtlsServerOptions({ cert: server.cert, key: server.key, clientCa: ca, rejectAtHandshake: false });
    const postgresGuards = createEdgeGuards({ settings: edgeSettings, sharedBuckets: state.rateLimits, onSharedError });
    const redisGuards = createEdgeGuards({ settings: { ...edgeSettings, rateLimitStore: 'redis', rateLimitRedisUrl: redisUrl, rateLimitRedisKeyPrefix: keyPrefix }, sharedBuckets: createInMemoryRateLimitStore(), onSharedError });
    guards.push(postgresGuards, redisGuards);
    const off = await startServer(createApp({ memory: provider, security: security() }), { port: 0 });
    servers.push(off);
    const mtlsOnly = await startServer(createApp({ memory: provider, security: security(), clientCertificates }), { port: 0, tls: mtlsOptions });
    servers.push(mtlsOnly);
    const onPostgres = await startServer(createApp({ memory: provider, security: security(), clientCertificates, edge: postgresGuards }), { port: 0, tls: mtlsOptions });
    servers.push(onPostgres);
    const onRedis = await startServer(createApp({ memory: provider, security: security(), clientCertificates, edge: redisGuards }), { port: 0, tls: mtlsOptions });
    servers.push(onRedis);
    const plainAgent = new HttpAgent({ keepAlive: true, maxSockets: 1 });
    const mtlsAgent = () => new HttpsAgent({ keepAlive: true, maxSockets: 1, ca, cert: client.cert, key: client.key });
    const mtlsOnlyAgent = mtlsAgent();
    const postgresAgent = mtlsAgent();
    const redisAgent = mtlsAgent();
    agents.push(plainAgent, mtlsOnlyAgent, postgresAgent, redisAgent);
    const sender = (url: string, agent: HttpAgent | HttpsAgent): Send => (path, body) => postJson(agent, `${url}${path}`, adminKey, body);
    const send: Record<Label, Send> = { off: sender(off.url, plainAgent), 'mTLS only': sender(mtlsOnly.url, mtlsOnlyAgent), 'on (PostgreSQL)': sender(onPostgres.url, postgresAgent), 'on (Redis)': sender(onRedis.url, redisAgent) };

    // Searches first, over the fixed 100 memories (the in-memory provider scans them all); then adds to another user.
    const searchBody = JSON.stringify({ query: 'foxes', filters: { user_id: userId }, top_k: 10 });
    const searches = await interleave(
      samples,
      () => provider.search({ query: 'foxes', filter: { type: 'condition', field: { kind: 'scope', name: 'userId' }, operator: 'eq', value: userId }, topK: 10 }),
      Object.fromEntries(labels.map((label) => [label, () => send[label]('/v3/memories/search/', searchBody)])) as Record<Label, () => Promise<void>>,
    );
    const writer = `${userId}-writes`;
    const addBody = (index: number): string => JSON.stringify({ messages: [{ role: 'user', content: `Note ${index} about cello` }], user_id: writer, infer: false });
    const adds = await interleave(
      samples,
      (index) => provider.add([{ userId: writer, memory: `Note ${index} about cello` }]),
      Object.fromEntries(labels.map((label) => [label, (index: number) => send[label]('/v3/memories/add/', addBody(index))])) as Record<Label, (index: number) => Promise<void>>,
    );
    if (sharedErrors.length > 0) throw new Error(`edge-bench: the shared rate-limit store failed ${sharedErrors.length} time(s); the figures would be of the in-process fallback`, { cause: sharedErrors[0] });
    const redisKeys = await countRedisKeys(keyPrefix);
    if (redisKeys === 0) throw new Error('edge-bench: no bucket in Redis; the Redis path did not use it');
    const details = `${samples} rounds after ${warmup} warm-up, the 5 calls of a round in rotated order; one keep-alive connection per path (handshake paid once); in-memory provider (search: 100 memories of one user, top_k 10; add: infer false, another user), bootstrap admin key; on = HTTPS + required client certificate (P-256, CA-verified, mapped and bound to the key) + IP allow-list + key rate limit through the shared store (PostgreSQL 15 state store / Redis on 127.0.0.1); Node ${process.version}`;
    return [...figuresOf('search', searches, details), ...figuresOf('add', adds, details)];
  } finally {
    for (const agent of agents) agent.destroy();
    for (const running of servers) await running.close(1000);
    for (const guard of guards) await guard.close();
    await provider.close();
    await state.close();
    await database.drop();
    await removeRedisKeys(keyPrefix);
  }
}

async function countRedisKeys(prefix: string): Promise<number> {
  const redis = new Redis(redisUrl, { lazyConnect: true });
  try {
    return (await redis.keys(`${prefix}*`)).length;
  } finally {
    await redis.quit();
  }
}

async function removeRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  redis.on('error', () => {});
  try {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.unlink(...keys);
  } finally {
    redis.disconnect();
  }
}
