import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scopeFilter } from '@memgate/core';
import { createPostgresMemoryProvider } from '@memgate/postgres';
import { createTestDatabase, type TestDatabase } from '@memgate/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callGateway } from '../testing/call-gateway.js';
import { writeCeilingConfig } from '../testing/write-ceiling-config.js';
import { spawnMemgate, type SpawnedMemgate } from '../testing/spawn-memgate.js';

// Issue 12, "Per provider": a provider's request ceiling under load. `memgate serve` over two PostgreSQL
// providers on the local server; the primary has `rate_limit: {rps: 5, burst: 3}`, the backup none.
// Eight clients send far more than 5 requests a second: the primary must take at most its ceiling, the
// backup the rest, and no request may fail.

const key = 'provider-ceiling-admin-key-0123456789';
const rps = 5;
const burst = 3;
const clients = 8;

const call = (method: string, path: string, body?: unknown) => callGateway(gateway.url, key, method, path, body);

let primary: TestDatabase;
let backup: TestDatabase;
let state: TestDatabase;
let gateway: SpawnedMemgate;
let directory: string;

beforeAll(async () => {
  [primary, backup, state] = await Promise.all([createTestDatabase({ prefix: 'memgate_ceiling_a' }), createTestDatabase({ prefix: 'memgate_ceiling_b' }), createTestDatabase({ prefix: 'memgate_ceiling_state' })]);
  directory = mkdtempSync(join(tmpdir(), 'memgate-ceiling-'));
  const config = writeCeilingConfig(directory, { primary: primary.url, backup: backup.url }, { rps, burst });
  gateway = await spawnMemgate({ MEMGATE_ADMIN_KEY: key, MEMGATE_STATE_URL: state.url, MEMGATE_DATA_DIR: join(directory, 'data'), MEMGATE_LOG_LEVEL: 'info' }, ['--config', config]);
  const started = Date.now();
  while ((await fetch(`${gateway.url}/readyz`)).status !== 200) {
    if (Date.now() - started > 30_000) throw new Error(`not ready:\n${gateway.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}, 90_000);

afterAll(async () => {
  await gateway?.stop();
  await Promise.all([primary?.drop(), backup?.drop(), state?.drop()]);
  if (directory) rmSync(directory, { recursive: true, force: true });
}, 30_000);

interface LoadResult {
  readonly seconds: number;
  readonly requests: number;
  /** Answers by status (`error` for a request that got no answer). */
  readonly statuses: Record<string, number>;
  /** 200s by the provider that served them (`x-memgate-provider`). */
  readonly servedBy: Record<string, number>;
}

/** `clients` loops sending `request(client, index)` back to back for `durationMs`. */
async function load(durationMs: number, request: (client: number, index: number) => Promise<{ status: number; headers: Headers }>): Promise<LoadResult> {
  const statuses: Record<string, number> = {};
  const servedBy: Record<string, number> = {};
  let requests = 0;
  const started = performance.now();
  const until = started + durationMs;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let index = 0; performance.now() < until; index += 1) {
        requests += 1;
        try {
          const answer = await request(client, index);
          statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
          if (answer.status === 200) {
            const provider = answer.headers.get('x-memgate-provider') ?? 'none';
            servedBy[provider] = (servedBy[provider] ?? 0) + 1;
          }
        } catch {
          statuses.error = (statuses.error ?? 0) + 1;
        }
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, requests, statuses, servedBy };
}

const memberStatistics = async (name: string) => (await call('GET', '/providers/failover/statistics')).body.members.find((member: any) => member.name === name);

describe('a provider request ceiling under load, over HTTP against memgate serve with two PostgreSQL providers', () => {
  it('shows the ceiling in the provider list and the failover statistics', async () => {
    const listed = await call('GET', '/providers');
    expect(listed.body.providers.find((provider: any) => provider.name === 'pg-primary').config.rate_limit).toEqual({ rps, burst });
    expect(await memberStatistics('pg-primary')).toMatchObject({ ceiling: { requests_per_second: rps, burst } });
    expect((await memberStatistics('pg-backup')).ceiling).toBeUndefined();
  });

  it('reads: the primary serves at most its ceiling, the backup the excess, and no request fails', async () => {
    for (let index = 0; index < 5; index += 1) expect((await call('POST', '/v3/memories/add/', { messages: [{ role: 'user', content: `likes fox ${index}` }], user_id: 'reader', infer: false })).status).toBe(200);
    // Let the replicator copy the seeds and the primary's bucket refill.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const before = await memberStatistics('pg-primary');
    const result = await load(4000, () => call('POST', '/v3/memories/search/', { query: 'fox', filters: { user_id: 'reader' } }));
    const after = await memberStatistics('pg-primary');
    console.info(`[provider ceiling, reads] ${JSON.stringify({ ...result, seconds: Number(result.seconds.toFixed(2)), ratePerSecond: Math.round(result.requests / result.seconds), primaryCallsPerSecond: Number(((after.attempts - before.attempts) / result.seconds).toFixed(1)), ceilingSkips: after.ceiling.skips - before.ceiling.skips })}`);
    expect(result.statuses).toEqual({ 200: result.requests });
    // Well above the ceiling, or the test proves nothing.
    expect(result.requests / result.seconds).toBeGreaterThan(3 * rps);
    // Every call the router made to the primary (reads, and any replication) within the burst plus the rate over the run.
    expect(after.attempts - before.attempts).toBeLessThanOrEqual(burst + Math.ceil(rps * result.seconds) + 1);
    expect(result.servedBy['pg-primary'] ?? 0).toBeLessThanOrEqual(burst + Math.ceil(rps * result.seconds) + 1);
    // The primary was used up to its ceiling, not abandoned.
    expect(result.servedBy['pg-primary'] ?? 0).toBeGreaterThanOrEqual(rps * result.seconds * 0.5);
    expect(result.servedBy['pg-backup']).toBe(result.requests - (result.servedBy['pg-primary'] ?? 0));
    expect(after.ceiling.skips - before.ceiling.skips).toBeGreaterThan(0);
    // Passing the primary over is not failing against it.
    expect(after).toMatchObject({ failures: before.failures, breaker: { state: 'closed', consecutive_failures: 0 } });
    const metrics = await call('GET', '/providers/pg-primary/metrics');
    expect(metrics.body.ceiling).toMatchObject({ requests_per_second: rps, burst, skips: after.ceiling.skips });
    const scraped = await call('GET', '/metrics');
    const skipsSeries = /^memgate_provider_ceiling_skips_total\{provider="pg-primary"\} (\d+)$/m.exec(scraped.text);
    expect(Number(skipsSeries?.[1])).toBeGreaterThanOrEqual(after.ceiling.skips - before.ceiling.skips);
    // Moved by the ceiling, not failed over: no failover was counted from the primary.
    expect(scraped.text).not.toMatch(/^memgate_failovers_total\{from="pg-primary"/m);
  }, 60_000);

  it('writes: the excess goes to the backup, replication to the primary stays under its ceiling, and both end up with every memory', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const before = await memberStatistics('pg-primary');
    const started = performance.now();
    const result = await load(3000, (client, index) => call('POST', '/v3/memories/add/', { messages: [{ role: 'user', content: `note ${client}-${index}` }], user_id: 'writer', infer: false }));
    expect(result.statuses).toEqual({ 200: result.requests });
    expect(result.requests / result.seconds).toBeGreaterThan(2 * rps);
    expect(result.servedBy['pg-backup']).toBeGreaterThan(0);
    // The replicator delivers the backup's writes to the primary through the same ceiling, paced by it.
    const deadline = Date.now() + 30_000;
    while ((await memberStatistics('pg-primary')).journal_backlog.entries > 0 || (await memberStatistics('pg-backup')).journal_backlog.entries > 0) {
      if (Date.now() > deadline) throw new Error('the replicator did not catch up within 30 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const seconds = (performance.now() - started) / 1000;
    const after = await memberStatistics('pg-primary');
    console.info(`[provider ceiling, writes] ${JSON.stringify({ ...result, seconds: Number(result.seconds.toFixed(2)), untilCaughtUpSeconds: Number(seconds.toFixed(2)), primaryCalls: after.attempts - before.attempts })}`);
    expect(after.attempts - before.attempts).toBeLessThanOrEqual(burst + Math.ceil(rps * seconds) + 1);
    expect(after).toMatchObject({ failures: before.failures, breaker: { state: 'closed' } });
    for (const database of [primary, backup]) {
      const provider = createPostgresMemoryProvider({ name: 'check', connectionString: database.url });
      try {
        expect((await provider.list(scopeFilter({ userId: 'writer' }), { page: 1, pageSize: 1 })).total).toBe(result.requests);
      } finally {
        await provider.close();
      }
    }
  }, 90_000);

  it('every provider at its ceiling: 503 with Retry-After naming the ceilings, nothing counted as a failure; a PATCH sets and removes a ceiling', async () => {
    // Both providers get a ceiling of one request a second, through the management API.
    for (const name of ['pg-primary', 'pg-backup']) expect((await call('PATCH', `/providers/${name}`, { rate_limit: { rps: 1, burst: 1 } })).status).toBe(200);
    const deadline = Date.now() + 10_000;
    while ((await memberStatistics('pg-backup'))?.ceiling?.requests_per_second !== 1 || (await memberStatistics('pg-primary'))?.ceiling?.requests_per_second !== 1) {
      if (Date.now() > deadline) throw new Error('the pool was not rebuilt with the new ceilings within 10 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const answers = await Promise.all(Array.from({ length: clients }, () => call('POST', '/v3/memories/search/', { query: 'fox', filters: { user_id: 'reader' } })));
    const byStatus = answers.reduce<Record<number, number>>((counts, answer) => ({ ...counts, [answer.status]: (counts[answer.status] ?? 0) + 1 }), {});
    console.info(`[provider ceiling, both at 1/s] ${JSON.stringify(byStatus)}`);
    // One token each (two if the replicator did not spend one meanwhile): at least six of eight refused.
    expect(Object.keys(byStatus).sort()).toEqual(['200', '503']);
    expect(byStatus[200]).toBeLessThanOrEqual(2);
    const refused = answers.find((answer) => answer.status === 503)!;
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.body.error).toMatch(/pg-primary: at its ceiling of 1 requests\/s/);
    expect(refused.body.error).toMatch(/pg-backup: at its ceiling of 1 requests\/s/);
    for (const name of ['pg-primary', 'pg-backup']) expect(await memberStatistics(name)).toMatchObject({ failures: 0, breaker: { state: 'closed', consecutive_failures: 0 } });
    // `null` removes a ceiling: the backup takes everything again.
    expect((await call('PATCH', '/providers/pg-backup', { rate_limit: null })).status).toBe(200);
    while ((await memberStatistics('pg-backup'))?.ceiling !== undefined) {
      if (Date.now() > deadline + 10_000) throw new Error('the pool was not rebuilt without the backup ceiling');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const after = await Promise.all(Array.from({ length: clients }, () => call('POST', '/v3/memories/search/', { query: 'fox', filters: { user_id: 'reader' } })));
    expect(after.map((answer) => answer.status)).toEqual(Array(clients).fill(200));
  }, 60_000);
});
