import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPostgresMemoryProvider } from '@memgate/postgres';
import { createTestDatabase, type TestDatabase } from '@memgate/testkit';
import { createMem0WireServer, type Mem0WireServer } from '@memgate/testkit/mem0-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnMemgate, type SpawnedMemgate } from '../testing/spawn-memgate.js';
import { callGateway } from '../testing/call-gateway.js';

const key = 'serve-composition-admin-key-0123456789';

const call = (base: string, method: string, path: string, body?: unknown) => callGateway(base, key, method, path, body);

/** Polls `check` every 20 ms until it returns true; resolves with the milliseconds it took. */
async function within(limitMs: number, check: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < limitMs) {
    if (await check()) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`not within ${limitMs} ms`);
}

async function ready(base: string): Promise<void> {
  await within(30_000, async () => (await fetch(`${base}/readyz`)).status === 200);
}

const search = (base: string) => call(base, 'POST', '/v3/memories/search/', { query: 'foxes', filters: { user_id: 'alice' } });

let primary: TestDatabase;
let backup: TestDatabase;
let state: TestDatabase;
let mem0: Mem0WireServer;
let first: SpawnedMemgate;
let second: SpawnedMemgate;

beforeAll(async () => {
  [primary, backup, state] = await Promise.all([createTestDatabase({ prefix: 'memgate_pool_a' }), createTestDatabase({ prefix: 'memgate_pool_b' }), createTestDatabase({ prefix: 'memgate_state' })]);
  mem0 = await createMem0WireServer();
  const directory = mkdtempSync(join(tmpdir(), 'memgate-compose-'));
  const config = join(directory, 'memgate.json');
  writeFileSync(
    config,
    JSON.stringify({
      providers: [
        { name: 'pg-primary', provider_type: 'postgres', connection_string: primary.url, priority: 10 },
        { name: 'pg-backup', provider_type: 'postgres', connection_string: backup.url, priority: 20 },
        { name: 'mem0', provider_type: 'mem0', connection_string: mem0.url, priority: 30, settings: { mode: 'platform', apiKey: '${MEM0_TEST_KEY}' } },
      ],
      routing: { strategy: 'priority', retry: { max_attempts: 3, attempt_timeout_ms: 2000 }, breaker: { failure_threshold: 3, cooldown_ms: 10_000 }, reconcile_interval_ms: 1500 },
    }),
  );
  const env = { MEMGATE_ADMIN_KEY: key, MEMGATE_STATE_URL: state.url, MEM0_TEST_KEY: mem0.apiKey, MEMGATE_LOG_LEVEL: 'info' };
  // Both processes share the state store; only the first is given the config file. The second starts
  // once the first has stored it (started alone on an empty store, it would add the default provider).
  first = await spawnMemgate({ ...env, MEMGATE_DATA_DIR: join(directory, 'one') }, ['--config', config]);
  second = await spawnMemgate({ ...env, MEMGATE_DATA_DIR: join(directory, 'two') });
  await Promise.all([ready(first.url), ready(second.url)]);
}, 90_000);

afterAll(async () => {
  await Promise.all([first?.stop(), second?.stop()]);
  await mem0?.close();
  await Promise.all([primary?.drop(), backup?.drop(), state?.drop()]);
}, 30_000);

describe('memgate serve with a config of two PostgreSQL providers and one mem0 provider', () => {
  it('lists all three at GET /providers with their state and source', async () => {
    const listed = await call(first.url, 'GET', '/providers');
    expect(listed.status).toBe(200);
    expect(listed.body.providers.map(({ name, state, source, connected }: any) => ({ name, state, source, connected }))).toEqual([
      { name: 'mem0', state: 'active', source: 'config', connected: true },
      { name: 'pg-backup', state: 'active', source: 'config', connected: true },
      { name: 'pg-primary', state: 'active', source: 'config', connected: true },
    ]);
  });

  it('serves the data plane over the pool and names the provider, the fallbacks and the overhead in x-memgate headers', async () => {
    const added = await call(first.url, 'POST', '/v3/memories/add/', { messages: [{ role: 'user', content: 'I like foxes' }], user_id: 'alice', infer: false });
    expect(added.status).toBe(200);
    expect(added.headers.get('x-memgate-provider')).toBe('pg-primary');
    expect(added.headers.get('x-memgate-fallbacks')).toBe('0');
    expect(Number(added.headers.get('x-memgate-overhead-ms'))).toBeGreaterThanOrEqual(0);
    const found = await search(first.url);
    expect(found.body.results.map((memory: any) => memory.memory)).toContain('I like foxes');
    expect(found.headers.get('x-memgate-provider')).toBe('pg-primary');
  });

  it('moves traffic off a forced-out primary to the backup, which holds the replicated write, and back when it is forced in', async () => {
    const out = await call(first.url, 'POST', '/providers/failover/trigger', { provider: 'pg-primary', action: 'force_out' });
    expect(out.status).toBe(200);
    expect(out.body).toMatchObject({ provider: 'pg-primary', admin_state: 'forced-out', breaker: { state: 'isolated' } });
    // The write acknowledged by the primary reached the backup through the journal's replicator.
    await within(15_000, async () => {
      const onBackup = await search(first.url);
      return onBackup.headers.get('x-memgate-provider') === 'pg-backup' && onBackup.body.results.some((memory: any) => memory.memory === 'I like foxes');
    });
    const statistics = await call(first.url, 'GET', '/providers/failover/statistics');
    expect(statistics.body.members.find((member: any) => member.name === 'pg-primary')).toMatchObject({ admin_state: 'forced-out' });
    expect((await call(first.url, 'POST', '/providers/failover/trigger', { provider: 'pg-primary', action: 'force_in' })).body).toMatchObject({ admin_state: 'active', breaker: { state: 'closed' } });
    expect((await search(first.url)).headers.get('x-memgate-provider')).toBe('pg-primary');
    expect((await call(first.url, 'POST', '/providers/failover/trigger', { provider: 'nobody', action: 'force_out' })).status).toBe(404);
  }, 60_000);

  it('switches the strategy at run time, and refuses unknown fields and strategies by name', async () => {
    const changed = await call(first.url, 'PUT', '/providers/failover/strategy', { strategy: 'round_robin' });
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ strategy: 'round-robin', previous: 'priority' });
    // The next request is ordered by the new strategy (which members it may choose from also depends on
    // the replicator: reads avoid members that are behind).
    const searched = await search(first.url);
    // The history is shared by both processes (the state store), so pick this request's decision by its id.
    const recent = (await call(first.url, 'GET', '/providers/failover/history?limit=50')).body.decisions;
    expect(recent.find((decision: any) => decision.request_id === searched.headers.get('x-request-id'))).toMatchObject({ operation: 'search', strategy: 'round-robin' });
    expect((await call(first.url, 'GET', '/providers/failover/statistics')).body.strategy).toBe('round-robin');
    expect((await call(first.url, 'PUT', '/providers/failover/strategy', { strategy: 'priority' })).body).toEqual({ strategy: 'priority', previous: 'round-robin' });
    const unknownField = await call(first.url, 'PUT', '/providers/failover/strategy', { strategy: 'priority', colour: 'red' });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body).toMatchObject({ field: 'colour', error: 'colour: unknown field' });
    expect((await call(first.url, 'PUT', '/providers/failover/strategy', { strategy: 'fastest' })).body.field).toBe('strategy');
    expect((await call(first.url, 'POST', '/providers/failover/trigger', { provider: 'pg-primary', action: 'force_out', now: true })).body.field).toBe('now');
  }, 20_000);

  it('answers the health, metrics, trends and history endpoints', async () => {
    const overview = await call(first.url, 'GET', '/providers/health');
    expect(overview.status).toBe(200);
    expect(overview.body.providers.map((provider: any) => provider.provider)).toEqual(['mem0', 'pg-backup', 'pg-primary']);
    const health = await call(first.url, 'GET', '/providers/pg-primary/health');
    expect(health.body).toMatchObject({ provider: 'pg-primary', admin_state: 'active', breaker: { state: 'closed' }, up: true });
    expect((await call(first.url, 'GET', '/providers/nobody/health')).status).toBe(404);
    const metrics = await call(first.url, 'GET', '/providers/pg-primary/metrics');
    expect(metrics.body.served).toBeGreaterThan(0);
    expect(metrics.body.windows['1m'].volume).toBeGreaterThan(0);
    const trends = await call(first.url, 'GET', '/providers/pg-primary/trends?hours=2');
    expect(trends.status).toBe(200);
    expect(trends.body.points.at(-1)).toMatchObject({ volume: expect.any(Number), score: expect.any(Number) });
    const history = await call(first.url, 'GET', '/providers/failover/history?limit=5&provider=pg-backup');
    expect(history.body.decisions.length).toBeGreaterThan(0);
    expect(history.body.decisions.every((decision: any) => decision.attempts.some((attempt: any) => attempt.provider === 'pg-backup'))).toBe(true);
    expect((await call(first.url, 'GET', '/providers/failover/history?colour=red')).body.field).toBe('colour');
    const document = await call(first.url, 'GET', '/openapi.json');
    expect(Object.keys(document.body.paths)).toEqual(
      expect.arrayContaining(['/providers/health', '/providers/{name}/health', '/providers/{name}/metrics', '/providers/{name}/trends', '/providers/failover/statistics', '/providers/failover/history', '/providers/failover/trigger', '/providers/failover/strategy', '/metrics']),
    );
  });

  it('exposes the documented Prometheus series at /metrics', async () => {
    const scraped = await call(first.url, 'GET', '/metrics');
    expect(scraped.status).toBe(200);
    expect(scraped.headers.get('content-type')).toContain('text/plain');
    expect(scraped.text).toMatch(/^memgate_http_requests_total\{method="POST",route="\/v3\/memories\/add",status="200"\} 1$/m);
    expect(scraped.text).toMatch(/^memgate_provider_attempt_duration_seconds_count\{provider="pg-primary",operation="add",outcome="success"\} 1$/m);
    expect(scraped.text).toMatch(/^memgate_provider_health_score\{provider="pg-primary"\} [0-9.]+$/m);
    expect(scraped.text).toMatch(/^memgate_provider_breaker_state\{provider="pg-primary",state="closed"\} 1$/m);
    expect(scraped.text).toMatch(/^memgate_breaker_transitions_total\{provider="pg-primary",state="isolated"\} 1$/m);
    expect(scraped.text).toMatch(/^memgate_http_requests_total\{method="GET",route="\/providers\/health",status="200"\} 1$/m);
    expect(scraped.text).toMatch(/^memgate_http_requests_total\{method="GET",route="\/providers\/:name\/health",status="404"\} 1$/m);
    expect(scraped.text).toContain('# TYPE memgate_failovers_total counter');
    expect(scraped.text).toContain('# TYPE memgate_alerts_total counter');
    expect(scraped.text).toMatch(/^memgate_routing_decisions_total\{operation="search",outcome="success"\} \d+$/m);
    expect(scraped.text).toMatch(/^memgate_journal_backlog_entries\{provider="pg-backup"\} \d+$/m);
    expect(scraped.text).toMatch(/^memgate_journal_backlog_bytes\{provider="pg-backup"\} \d+$/m);
    expect(scraped.text).toMatch(/^memgate_journal_resync_needed\{provider="pg-primary"\} 0$/m);
    expect(scraped.text).toMatch(/^memgate_replication_delivered_per_second [0-9.e+-]+$/m);
  });

  it('repairs drift between providers on its reconciliation schedule (routing.reconcile_interval_ms), and logs what it fixed', async () => {
    // A memory written behind the gateway's back, on the backup only: only reconciliation can find it.
    const backupOnly = createPostgresMemoryProvider({ name: 'pg-backup', connectionString: backup.url });
    const onPrimary = createPostgresMemoryProvider({ name: 'pg-primary', connectionString: primary.url });
    try {
      const [drifted] = await backupOnly.add([{ userId: 'drift', memory: 'written around the gateway' }]);
      await within(20_000, async () => (await onPrimary.get(drifted!.id))?.memory === 'written around the gateway');
      // Both processes reconcile the same pool on the same schedule: whichever ran first made the repair, and
      // its report is logged just after the write it made.
      const repairLogged = /reconciliation compared \d+ memories on [^"]*pg-primary[^"]* and repaired [1-9]/;
      await within(5_000, async () => repairLogged.test(first.output()) || repairLogged.test(second.output()));
    } finally {
      await Promise.all([backupOnly.close(), onPrimary.close()]);
    }
  }, 30_000);

  it('shows a provider registered and deactivated through one process to a second process within a second, and the second routes by it', async () => {
    const registered = await call(first.url, 'POST', '/providers/register', { name: 'fast', provider_type: 'memory', connection_string: 'memory://fast', priority: 0 });
    expect(registered.status).toBe(201);
    const seen = await within(1000, async () => (await call(second.url, 'GET', '/providers')).body.providers.some((provider: any) => provider.name === 'fast' && provider.connected));
    const routed = await within(1000, async () => (await search(second.url)).headers.get('x-memgate-provider') === 'fast');
    expect(seen).toBeLessThan(1000);
    expect(routed).toBeLessThan(1000);

    expect((await call(first.url, 'POST', '/providers/fast/deactivate')).status).toBe(200);
    await within(1000, async () => (await call(second.url, 'GET', '/providers')).body.providers.find((provider: any) => provider.name === 'fast').state === 'inactive');
    await within(1000, async () => (await search(second.url)).headers.get('x-memgate-provider') === 'pg-primary');
    expect((await call(first.url, 'DELETE', '/providers/fast')).status).toBe(200);
    await within(1000, async () => !(await call(second.url, 'GET', '/providers')).body.providers.some((provider: any) => provider.name === 'fast'));
  });
});

describe('memgate serve with DATABASE_URL and no config', () => {
  it('discovers the PostgreSQL provider and serves the data plane on it', async () => {
    const freshState = await createTestDatabase({ prefix: 'memgate_state' });
    const discovered = await spawnMemgate({ MEMGATE_ADMIN_KEY: key, MEMGATE_STATE_URL: freshState.url, MEMGATE_DATA_DIR: mkdtempSync(join(tmpdir(), 'memgate-discover-')), DATABASE_URL: backup.url });
    try {
      const listed = await call(discovered.url, 'GET', '/providers');
      expect(listed.body.providers.map(({ name, source, config }: any) => ({ name, source, connection: config.connection_string }))).toEqual([{ name: 'postgres', source: 'discovered', connection: '${DATABASE_URL}' }]);
      const added = await call(discovered.url, 'POST', '/v3/memories/add/', { messages: [{ role: 'user', content: 'Discovered' }], user_id: 'bob', infer: false });
      expect(added.status).toBe(200);
      expect(added.headers.get('x-memgate-provider')).toBe('postgres');
    } finally {
      await discovered.stop();
      await freshState.drop();
    }
  }, 60_000);
});
