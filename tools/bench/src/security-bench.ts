/**
 * What identity costs: @memgate/security's key validation (cached, and uncached against the state
 * store on the PostgreSQL server, beside a plain `select 1` on the same connection), the permission
 * check, scope enforcement (enforceScope alone, and tenantScopeMiddleware around an in-memory
 * search), and the gateway's added latency with a minted tenant-bound key versus the bootstrap admin
 * key versus the direct provider call, interleaved in one run.
 *
 * memgate has no switch that turns security off (by design). "Off" below is the cheapest path the
 * public API allows: the same app, with the bootstrap admin key, which is unbound (so the tenant scope
 * middleware passes through) and verified by one SHA-256 compare before any store lookup. Both paths
 * still run authentication, the route → permission table and the audit trail (adds are audited).
 *
 * Sub-microsecond operations are timed in batches (the per-call figure is a batch's mean); the rest
 * per call. Paths compared with each other are interleaved (rotating their order) so drift hits all
 * alike; differences are differences of percentiles.
 */
import { Agent, request } from 'node:http';
import { parseMemoryFilter, scopeFilter, wrapMemoryProvider, type MemoryFilter, type MemoryProviderV1 } from '@memgate/core';
import { createApp, createGatewaySecurity, startServer } from '@memgate/gateway';
import { checkPermission, createInMemoryKeyStore, createKeyManager, enforceScope, hashApiKey, hasPermission, hasPermissionFor, tenantScopeMiddleware, type KeyManager, type SecurityPrincipal } from '@memgate/security';
import { createStateStore } from '@memgate/state';
import { createInMemoryMemoryProvider, createTestDatabase } from '@memgate/testkit';
import { sql } from 'drizzle-orm';
import type { BenchFigure } from './bench-figure.js';
import { percentile, round } from './latency-percentiles.js';

const adminKey = 'bench-admin-key-0123456789abcdefghijkl';
const tenant = 'bench-tenant';
const topics = ['foxes', 'hiking', 'cello', 'coffee', 'berlin', 'marathon', 'gardening', 'chess'];
const text = (index: number): string => `Note ${index} about ${topics[index % topics.length]} and ${topics[(index * 3) % topics.length]}`;

/** Keeps results alive so the JIT cannot drop the work being timed. */
let sink = 0;

const microseconds = (milliseconds: number): number => milliseconds * 1000;

/** Times `work` once per sample after `warmup` untimed calls; milliseconds per call. */
async function timeEach(samples: number, warmup: number, work: () => Promise<unknown>): Promise<number[]> {
  const timings: number[] = [];
  for (let index = 0; index < samples + warmup; index += 1) {
    const started = performance.now();
    await work();
    const elapsed = performance.now() - started;
    if (index >= warmup) timings.push(elapsed);
  }
  return timings;
}

/** Times `batches` batches of `batchSize` synchronous calls after one untimed batch; milliseconds per call (each batch's mean). */
function timeBatches(batches: number, batchSize: number, work: () => unknown): number[] {
  const timings: number[] = [];
  for (let batch = -1; batch < batches; batch += 1) {
    const started = performance.now();
    for (let call = 0; call < batchSize; call += 1) if (work()) sink += 1;
    const elapsed = performance.now() - started;
    if (batch >= 0) timings.push(elapsed / batchSize);
  }
  return timings;
}

/** Runs every path once per round, in an order rotated each round, for `rounds` rounds after `warmup`; milliseconds per call per path. */
async function interleave<Path extends string>(rounds: number, warmup: number, paths: Record<Path, (round: number) => Promise<unknown>>): Promise<Record<Path, number[]>> {
  const names = Object.keys(paths) as Path[];
  const timings = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<Path, number[]>;
  for (let index = 0; index < rounds + warmup; index += 1) {
    for (let step = 0; step < names.length; step += 1) {
      const name = names[(index + step) % names.length]!;
      const started = performance.now();
      await paths[name](index);
      const elapsed = performance.now() - started;
      if (index >= warmup) timings[name].push(elapsed);
    }
  }
  return timings;
}

const p = (samples: readonly number[], rank: number, decimals = 2): number => round(microseconds(percentile(samples, rank)), decimals);

/** p50 and p99 figures in µs of one sample set. */
function microFigures(name: string, samples: readonly number[], details: string, decimals = 2): BenchFigure[] {
  return [50, 99].map((rank) => ({ name: `${name} p${rank}`, value: p(samples, rank, decimals), unit: 'µs', details }));
}

/** A key manager as the gateway builds it (bootstrap admin key, default 5 s cache) over an in-memory store, with a minted tenant-bound writer key. */
async function cachedKeys(): Promise<{ keys: KeyManager; key: string; principal: SecurityPrincipal }> {
  const keys = createKeyManager({ store: createInMemoryKeyStore(), bootstrap: { hash: hashApiKey(adminKey), id: 'admin' } });
  const { key } = await keys.create({ name: 'bench-writer', roles: ['writer'], scope: { appId: tenant } });
  const verified = await keys.verify(key);
  if (!verified.ok) throw new Error(`security-bench: a minted key did not verify (${verified.reason})`);
  return { keys, key, principal: verified.principal };
}

async function measureCachedValidation(): Promise<BenchFigure[]> {
  const { keys, key } = await cachedKeys();
  try {
    const samples = 20_000;
    const timings = await timeEach(samples, 2_000, async () => {
      if ((await keys.verify(key)).ok) sink += 1;
    });
    const details = `KeyManager.verify of one minted mg_live_ key (writer role, bound to appId), the same key every call: bootstrap-key compare, CRC32 checksum, SHA-256, cache hit (default 5 s TTL, in-memory store), principal built from the role; ${samples} sequential calls timed one by one after 2,000 warm-up. Target 50 µs`;
    return microFigures('security: key validation, cached', timings, details);
  } finally {
    keys.close();
  }
}

async function measureUncachedValidation(): Promise<BenchFigure[]> {
  const otherKeys = 300;
  const database = await createTestDatabase({ prefix: 'bench_security_state', container: false });
  try {
    // One pooled connection: the key lookup and `select 1` share it.
    const state = await createStateStore({ url: database.url, poolSize: 1 });
    const keys = createKeyManager({ store: state.keys, cacheTtlMs: 0, bootstrap: { hash: hashApiKey(adminKey), id: 'admin' } });
    try {
      const { key, record } = await keys.create({ name: 'bench-writer', roles: ['writer'], scope: { appId: tenant } });
      // A few hundred other keys, so the lookup is an index probe among several rows rather than the only row.
      for (let index = 0; index < otherKeys; index += 1) await keys.create({ name: `other-${index}`, roles: ['reader'] });
      const rounds = 2_000;
      const timings = await interleave(rounds, 200, {
        select1: async () => {
          await state.db.execute(sql`select 1`);
        },
        // The key lookup binds a parameter (extended protocol); so does this one.
        selectParameter: async () => {
          await state.db.execute(sql`select ${1}::int`);
        },
        findByHash: async () => {
          if ((await state.keys.findByHash(record.hash))?.id === record.id) sink += 1;
        },
        verify: async () => {
          if (!(await keys.verify(key)).ok) throw new Error('security-bench: the minted key was refused');
        },
      });
      const details = `state store on the PostgreSQL server (${database.source}, throwaway database, pool of 1 connection, ${otherKeys + 1} keys); KeyManager with cacheTtlMs 0 so every verify reads the store; ${rounds} rounds of select 1 / select $1::int (a bound parameter, as the lookup has) / KeyStore.findByHash / KeyManager.verify, interleaved in rotating order after 200 warm-up. Target: one state-store round trip (compare with select 1)`;
      return [
        ...microFigures('security: key validation, uncached (PostgreSQL)', timings.verify, details, 1),
        ...microFigures('security: key store findByHash alone (PostgreSQL)', timings.findByHash, details, 1),
        ...microFigures('security: select 1 round trip, same connection (PostgreSQL)', timings.select1, details, 1),
        ...microFigures('security: select $1 round trip (bound parameter), same connection (PostgreSQL)', timings.selectParameter, details, 1),
      ];
    } finally {
      keys.close();
      await state.close();
    }
  } finally {
    await database.drop();
  }
}

async function measurePermissionCheck(): Promise<BenchFigure[]> {
  const { keys, principal } = await cachedKeys();
  keys.close();
  const batches = 300;
  const batchSize = 2_000;
  const held = timeBatches(batches, batchSize, () => hasPermission(principal, 'memory:write'));
  const missing = timeBatches(batches, batchSize, () => !hasPermission(principal, 'memory:delete'));
  const checked = timeBatches(batches, batchSize, () => {
    checkPermission(principal, 'memory:write');
    return true;
  });
  const forRoute = timeBatches(batches, batchSize, () => hasPermissionFor(principal, 'memory:write'));
  const details = (what: string): string =>
    `${what}, for the principal of a verified writer key (permissions resolved from the role: ${principal.permissions?.join(', ')}); ${batches} batches of ${batchSize} calls after one warm-up batch, per-call mean of each batch. Target 5 µs`;
  return [
    ...microFigures('security: permission check, hasPermission (held)', held, details('hasPermission(principal, memory:write)'), 3),
    ...microFigures('security: permission check, hasPermission (not held)', missing, details('hasPermission(principal, memory:delete): every grant examined'), 3),
    ...microFigures('security: permission check, checkPermission', checked, details('checkPermission(principal, memory:write) (throws when not held)'), 3),
    ...microFigures('security: permission check, hasPermissionFor (the gateway route check)', forRoute, details('hasPermissionFor(principal, memory:write), what the gateway route table calls'), 3),
  ];
}

/** A mem0-style search filter: user, app, a metadata OR and a time bound. */
const realisticFilter = (): MemoryFilter =>
  parseMemoryFilter({ AND: [{ user_id: 'alice' }, { app_id: tenant }, { OR: [{ metadata: { topic: 'travel' } }, { metadata: { topic: 'food' } }] }, { created_at: { gte: '2024-01-01' } }] });

async function measureScopeEnforcement(): Promise<BenchFigure[]> {
  const { keys, principal } = await cachedKeys();
  keys.close();
  const filter = realisticFilter();
  const batches = 300;
  const batchSize = 1_000;
  const filtered = timeBatches(batches, batchSize, () => enforceScope(principal, filter));
  const scoped = timeBatches(batches, batchSize, () => enforceScope(principal, { userId: 'alice', appId: tenant }));
  const enforceDetails = (what: string): string =>
    `${what}, principal of a verified writer key bound to appId ${tenant}; ${batches} batches of ${batchSize} calls after one warm-up batch, per-call mean of each batch. Target 20 µs`;

  // The middleware around a search on the in-memory provider: 100 memories of the tenant's user, 100 of another tenant.
  const provider = createInMemoryMemoryProvider({ name: 'bench-scope' });
  const admin: SecurityPrincipal = { id: 'admin', keyId: 'admin', roles: ['admin'], permissions: ['*'], authMethods: ['api_key'] };
  try {
    await provider.add(Array.from({ length: 100 }, (_, index) => ({ userId: 'alice', appId: tenant, memory: text(index) })));
    await provider.add(Array.from({ length: 100 }, (_, index) => ({ userId: 'alice', appId: 'other-tenant', memory: text(index) })));
    const wrapped = wrapMemoryProvider(provider, tenantScopeMiddleware());
    const query = (index: number) => ({ query: topics[index % topics.length]!, filter: scopeFilter({ userId: 'alice', appId: tenant }), topK: 10 });
    const rounds = 5_000;
    const timings = await interleave(rounds, 500, {
      direct: (index) => provider.search(query(index), { principal }),
      bound: (index) => wrapped.search(query(index), { principal }),
      unbound: (index) => wrapped.search(query(index), { principal: admin }),
    });
    const searchDetails = `search (topK 10, filter user_id + app_id, 8 rotating one-word queries) on the in-memory provider holding 200 memories (100 in the tenant); ${rounds} rounds of direct provider / wrapped with a bound principal / wrapped with the unbound admin principal, interleaved in rotating order after 500 warm-up; added = wrapped − direct percentile. Target 20 µs`;
    const added = (path: number[], rank: number): number => round(microseconds(percentile(path, rank) - percentile(timings.direct, rank)), 2);
    return [
      ...microFigures('security: enforceScope on a search filter', filtered, enforceDetails('enforceScope(principal, filter) on a parsed mem0 filter of 4 AND terms (user_id, app_id, an OR of two metadata values, created_at gte)'), 3),
      ...microFigures('security: enforceScope on an add scope', scoped, enforceDetails('enforceScope(principal, { userId, appId })'), 3),
      ...microFigures('security: search, direct in-memory provider', timings.direct, searchDetails),
      ...microFigures('security: search, tenantScopeMiddleware (bound principal)', timings.bound, searchDetails),
      ...microFigures('security: search, tenantScopeMiddleware (unbound, passes through)', timings.unbound, searchDetails),
      ...[50, 99].map((rank) => ({ name: `security: tenantScopeMiddleware added cost around search p${rank}`, value: added(timings.bound, rank), unit: 'µs', details: `bound p${rank} ${p(timings.bound, rank)} µs − direct p${rank} ${p(timings.direct, rank)} µs; ${searchDetails}` })),
    ];
  } finally {
    await provider.close();
  }
}

function post(agent: Agent, url: string, key: string, body: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: 'POST', agent, headers: { authorization: `Token ${key}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (incoming.statusCode === 200) resolve(text);
        else reject(new Error(`HTTP ${incoming.statusCode} from ${url}: ${text}`));
      });
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

async function measureGateway(): Promise<BenchFigure[]> {
  const provider: MemoryProviderV1 = createInMemoryMemoryProvider({ name: 'bench-security-gateway' });
  await provider.probe();
  // In-memory key store and audit store (createGatewaySecurity's defaults); one app serves both keys.
  const security = createGatewaySecurity({ adminKeyHash: hashApiKey(adminKey) });
  const { key: tenantKey } = await security.keys.create({ name: 'bench-tenant-writer', roles: ['writer'], scope: { appId: tenant } });
  const server = await startServer(createApp({ memory: provider, security }), { port: 0 });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const reader = `bench-reader-${Date.now()}`;
  const writer = `${reader}-writes`;
  const samples = 2_000;
  try {
    // Searches read a fixed set: 100 memories of one user in the tenant, beside 100 of the same user id in another tenant.
    // They run before the adds (which go to another user of the tenant), since the in-memory provider scans every memory.
    await provider.add(Array.from({ length: 100 }, (_, index) => ({ userId: reader, appId: tenant, memory: text(index) })));
    await provider.add(Array.from({ length: 100 }, (_, index) => ({ userId: reader, appId: 'other-tenant', memory: text(index) })));
    const addBody = (index: number): string => JSON.stringify({ messages: [{ role: 'user', content: text(index) }], user_id: writer, app_id: tenant, infer: false });
    const searchBody = (index: number): string => JSON.stringify({ query: topics[index % topics.length], filters: { user_id: reader, app_id: tenant }, top_k: 10 });
    const searchQuery = (index: number) => ({ query: topics[index % topics.length]!, filter: scopeFilter({ userId: reader, appId: tenant }), topK: 10 });
    // Both keys must see the same results, or the comparison would not be like for like.
    const seen = await Promise.all([adminKey, tenantKey].map(async (key) => (JSON.parse(await post(agent, `${server.url}/v3/memories/search/`, key, searchBody(0))) as { results: unknown[] }).results.length));
    const direct = (await provider.search(searchQuery(0))).length;
    if (seen[0] !== direct || seen[1] !== direct || direct === 0) throw new Error(`security-bench: result counts differ (direct ${direct}, off ${seen[0]}, on ${seen[1]})`);
    const searches = await interleave(samples, 150, {
      direct: (index) => provider.search(searchQuery(index)),
      off: (index) => post(agent, `${server.url}/v3/memories/search/`, adminKey, searchBody(index)),
      on: (index) => post(agent, `${server.url}/v3/memories/search/`, tenantKey, searchBody(index)),
    });
    const adds = await interleave(samples, 150, {
      direct: (index) => provider.add([{ userId: writer, appId: tenant, memory: text(index) }]),
      off: (index) => post(agent, `${server.url}/v3/memories/add/`, adminKey, addBody(index)),
      on: (index) => post(agent, `${server.url}/v3/memories/add/`, tenantKey, addBody(index)),
    });
    const details =
      `one createApp over the in-memory provider on 127.0.0.1, one keep-alive connection; "on" = a key minted by the key manager (writer role, bound to appId ${tenant}; in-memory key store, 5 s key cache; in-memory audit store), so the tenant scope middleware narrows every call; ` +
      `"off" = the same app and provider with the bootstrap admin key: memgate has no switch to turn security off (by design), and this is its cheapest path (one SHA-256 compare, no key lookup, unbound so the scope middleware passes through; authentication, the route table and the audit trail still run); ` +
      `"direct" = the provider call without HTTP (the floor). ${samples} rounds per operation of direct / off / on interleaved in rotating order after 150 warm-up; search (measured first): mem0 v3 search (filters user_id + app_id, top_k 10) over 200 memories, 100 of them in the tenant; add (measured after): mem0 v3 add of one memory (infer false) to another user of the tenant`;
    const figures: BenchFigure[] = [];
    const ms = (samples: readonly number[], rank: number): number => round(percentile(samples, rank), 3);
    for (const [operation, timings] of [['add', adds], ['search', searches]] as const) {
      for (const rank of [50, 99]) {
        const on = ms(timings.on, rank);
        const off = ms(timings.off, rank);
        const floor = ms(timings.direct, rank);
        figures.push(
          { name: `security: gateway ${operation} p${rank}, security on (tenant key)`, value: on, unit: 'ms', details },
          { name: `security: gateway ${operation} p${rank}, security off (admin key)`, value: off, unit: 'ms', details },
          { name: `security: gateway ${operation} p${rank}, direct provider`, value: floor, unit: 'ms', details },
          { name: `security: gateway ${operation} p${rank} added by security (on − off)`, value: round(on - off, 3), unit: 'ms', details: `on p${rank} ${on} ms − off p${rank} ${off} ms; ${details}` },
          { name: `security: gateway ${operation} p${rank} added by HTTP + gateway (off − direct)`, value: round(off - floor, 3), unit: 'ms', details: `off p${rank} ${off} ms − direct p${rank} ${floor} ms; ${details}` },
        );
      }
    }
    return figures;
  } finally {
    agent.destroy();
    await server.close();
    security.keys.close();
    await security.audit.flush();
    await provider.close();
  }
}

/** Key validation, permission check, scope enforcement and the gateway's added latency with security on and off. */
export async function run(): Promise<BenchFigure[]> {
  const figures = [...(await measureCachedValidation()), ...(await measureUncachedValidation()), ...(await measurePermissionCheck()), ...(await measureScopeEnforcement()), ...(await measureGateway())];
  if (sink < 0) console.log(sink);
  return figures;
}
