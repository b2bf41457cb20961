import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@memgate/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callGateway } from '../testing/call-gateway.js';
import { writeCeilingConfig } from '../testing/write-ceiling-config.js';
import { spawnMemgate, type SpawnedMemgate } from '../testing/spawn-memgate.js';

// Issue 12, "Limits hold across replicas", for a provider's request ceiling: two `memgate serve`
// processes on one PostgreSQL state store, over the same two PostgreSQL providers; the primary has
// `rate_limit: {rps: 5, burst: 3}`. Both replicas are loaded far above the ceiling at once: the primary
// must take at most its ceiling from both together (each on its own would allow it twice), the backup
// the rest, and no request may fail.

const key = 'provider-ceiling-replicas-admin-key-0123456789';
const rps = 5;
const burst = 3;
const clientsPerReplica = 4;

let primary: TestDatabase;
let backup: TestDatabase;
let state: TestDatabase;
let replicas: SpawnedMemgate[] = [];
let directory: string;

const call = (replica: SpawnedMemgate, method: string, path: string, body?: unknown) => callGateway(replica.url, key, method, path, body);

beforeAll(async () => {
  [primary, backup, state] = await Promise.all([createTestDatabase({ prefix: 'memgate_ceiling_r_a' }), createTestDatabase({ prefix: 'memgate_ceiling_r_b' }), createTestDatabase({ prefix: 'memgate_ceiling_r_state' })]);
  directory = mkdtempSync(join(tmpdir(), 'memgate-ceiling-replicas-'));
  const config = writeCeilingConfig(directory, { primary: primary.url, backup: backup.url }, { rps, burst });
  // No load shedding: a busy machine's event-loop stall must not turn answers into 503s.
  const env = (name: string) => ({ MEMGATE_ADMIN_KEY: key, MEMGATE_STATE_URL: state.url, MEMGATE_DATA_DIR: join(directory, name), MEMGATE_SHED_EVENT_LOOP_DELAY_MS: '0' });
  // The first process seeds the store's providers; started together, two would both try.
  replicas.push(await spawnMemgate(env('one'), ['--config', config]));
  replicas.push(await spawnMemgate(env('two'), ['--config', config]));
  for (const replica of replicas) {
    const started = Date.now();
    while ((await fetch(`${replica.url}/readyz`)).status !== 200) {
      if (Date.now() - started > 30_000) throw new Error(`not ready:\n${replica.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}, 120_000);

afterAll(async () => {
  await Promise.all(replicas.map((replica) => replica.stop()));
  replicas = [];
  await Promise.all([primary?.drop(), backup?.drop(), state?.drop()]);
  if (directory) rmSync(directory, { recursive: true, force: true });
}, 30_000);

const memberStatistics = async (replica: SpawnedMemgate, name: string) => (await call(replica, 'GET', '/providers/failover/statistics')).body.members.find((member: any) => member.name === name);

describe('a provider request ceiling shared by two memgate serve processes on one PostgreSQL state store', () => {
  it('reads on both replicas at once: the primary takes at most burst + rps × t (+ one token per replica) from both together, the backup the rest, and nothing fails', async () => {
    for (let index = 0; index < 5; index += 1) expect((await call(replicas[0]!, 'POST', '/v3/memories/add/', { messages: [{ role: 'user', content: `likes fox ${index}` }], user_id: 'reader', infer: false })).status).toBe(200);
    // The replicator copies the seeds; both replicas go idle (each keeps at most one leased token) and the shared bucket refills.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const before = await Promise.all(replicas.map((replica) => memberStatistics(replica, 'pg-primary')));
    const statuses: Record<string, number> = {};
    // 200s by the provider that served them (`x-memgate-provider`), per replica: counted by the clients, not by the gateways.
    const servedBy = replicas.map(() => ({}) as Record<string, number>);
    let requests = 0;
    const started = performance.now();
    const until = started + 4000;
    await Promise.all(
      replicas.flatMap((replica, index) =>
        Array.from({ length: clientsPerReplica }, async () => {
          while (performance.now() < until) {
            requests += 1;
            try {
              const answer = await call(replica, 'POST', '/v3/memories/search/', { query: 'fox', filters: { user_id: 'reader' } });
              statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
              if (answer.status === 200) {
                const provider = answer.headers.get('x-memgate-provider') ?? 'none';
                servedBy[index]![provider] = (servedBy[index]![provider] ?? 0) + 1;
              }
            } catch {
              statuses.error = (statuses.error ?? 0) + 1;
            }
          }
        }),
      ),
    );
    const seconds = (performance.now() - started) / 1000;
    const after = await Promise.all(replicas.map((replica) => memberStatistics(replica, 'pg-primary')));
    const primaryServed = servedBy.map((served) => served['pg-primary'] ?? 0);
    const primaryAttempts = after.map((member, index) => member.attempts - before[index].attempts);
    const skips = after.map((member, index) => member.ceiling.skips - before[index].ceiling.skips);
    const total = primaryServed.reduce((sum, value) => sum + value, 0);
    // The bound: the shared bucket's burst and refill over the run, plus what the replicas held when it began (one idle token each).
    const limit = burst + rps * seconds + replicas.length;
    console.info(`[provider ceiling, two replicas] ${JSON.stringify({ seconds: Number(seconds.toFixed(2)), requests, ratePerSecond: Math.round(requests / seconds), statuses, servedBy, primaryCalls: total, primaryAttempts, limit: Number(limit.toFixed(1)), limitOfEachReplicaAlone: Number((burst + rps * seconds).toFixed(1)), skips })}`);
    expect(statuses).toEqual({ 200: requests });
    // Well above the ceiling on each replica, or the test proves nothing.
    expect(requests / seconds).toBeGreaterThan(4 * rps);
    for (const served of servedBy) expect(Object.values(served).reduce((sum, value) => sum + value, 0)).toBeGreaterThan(2 * rps * seconds);
    // Across both replicas: within one ceiling, by the clients' count and by the routers' (every call made, reads and anything else).
    expect(total).toBeLessThanOrEqual(Math.floor(limit));
    expect(primaryAttempts.reduce((sum, value) => sum + value, 0)).toBeLessThanOrEqual(Math.floor(limit));
    // Used up to its ceiling, not abandoned; and neither replica was shut out.
    expect(total).toBeGreaterThanOrEqual(0.6 * rps * seconds);
    for (const served of primaryServed) expect(served).toBeGreaterThan(0);
    for (const [index, served] of servedBy.entries()) expect(served['pg-backup']).toBe(Object.values(served).reduce((sum, value) => sum + value, 0) - primaryServed[index]!);
    for (const count of skips) expect(count).toBeGreaterThan(0);
    // Passed over, not failed against.
    for (const [index, member] of after.entries()) expect(member).toMatchObject({ failures: before[index].failures, breaker: { state: 'closed', consecutive_failures: 0 } });
  }, 60_000);
});
