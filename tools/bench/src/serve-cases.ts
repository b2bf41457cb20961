/**
 * The compositions `memgate serve` builds, as users run them, for serve-overhead-bench.ts and
 * profile-serve.ts: the real CLI in a child process (state store, registry, health monitor, live
 * failover pool, journal, decision history, events, audit, metrics), each next to the same backend
 * opened in this process for direct calls.
 *
 * - `pg1`: one PostgreSQL provider on the server, the state store on the server too (MEMGATE_STATE_URL);
 * - `pg2`: two PostgreSQL providers (priority 10 and 20, write_quorum 1), so every write is journaled;
 * - `embedded`: nothing configured: PGlite for the state and the memories under the data directory.
 *
 * Databases are throwaway (`createTestDatabase` on MEMGATE_BENCH_PG_URL, DATABASE_URL or the local
 * server) and dropped by `close()`, with the data directory.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MemoryProviderV1 } from '@memgate/core';
import { createPostgresMemoryProvider } from '@memgate/postgres';
import { createTestDatabase, type TestDatabase } from '@memgate/testkit';
import pg from 'pg';
import { Pool } from 'undici';
import type { OpenLoadAnswer } from './open-model-load.js';
import { processCpuMs } from './process-cpu.js';
import { spawnServe, type ServeProcess } from './spawn-serve.js';

/** Which composition. */
export type ServeCaseKind = 'pg1' | 'pg2' | 'embedded';

export const serveCaseLabels: Record<ServeCaseKind, string> = {
  pg1: 'PostgreSQL server, 1 provider',
  pg2: 'PostgreSQL server, 2 providers (journaled writes)',
  embedded: 'embedded default (PGlite)',
};

/** A started case: the gateway, the direct backend, and one request of each kind for both. */
export interface ServeCase {
  readonly kind: ServeCaseKind;
  readonly serve: ServeProcess;
  /** The backend the gateway serves from first (its primary), opened in this process. */
  readonly direct: MemoryProviderV1;
  gatewayAdd(index: number): Promise<OpenLoadAnswer>;
  gatewaySearch(index: number): Promise<OpenLoadAnswer>;
  directAdd(index: number): Promise<OpenLoadAnswer>;
  directSearch(index: number): Promise<OpenLoadAnswer>;
  /** `memgate_provider_attempt_duration_seconds` sum and count of an operation's successful attempts, summed over providers. */
  providerTime(operation: 'add' | 'search'): Promise<{ sumSeconds: number; count: number }>;
  /** CPU time so far (ms) of the gateway's process, of this process, and per PostgreSQL backend serving the case's databases (none for the embedded default). */
  cpu(): Promise<CpuSample>;
  /** Stops the gateway (SIGTERM, a clean drain), closes the direct backend, drops the databases. */
  close(): Promise<void>;
}

const adminKey = 'bench-serve-admin-key-0123456789abcdefghij';
const topics = ['foxes', 'hiking', 'cello', 'coffee', 'berlin', 'marathon', 'gardening', 'chess'];
const text = (index: number): string => `Note ${index} about ${topics[index % topics.length]} and ${topics[(index * 3) % topics.length]}`;
const headers = { authorization: `Token ${adminKey}`, 'content-type': 'application/json' };

/** CPU times (ms) at one instant; see {@link cpuSpent}. */
export interface CpuSample {
  readonly gatewayMs: number;
  readonly benchMs: number;
  readonly postgresMsByPid: ReadonlyMap<number, number>;
}

/** CPU spent between two samples (ms); a backend that started in between counts from 0, one that ended in between is lost (an undercount). */
export function cpuSpent(before: CpuSample, after: CpuSample): { gatewayMs: number; benchMs: number; postgresMs: number } {
  let postgresMs = 0;
  for (const [pid, ms] of after.postgresMsByPid) postgresMs += ms - (before.postgresMsByPid.get(pid) ?? 0);
  return { gatewayMs: after.gatewayMs - before.gatewayMs, benchMs: after.benchMs - before.benchMs, postgresMs };
}

/** The providers' own time the gateway reports per response (`server-timing: provider;dur=…`). */
function providerMsOf(serverTiming: string | string[] | undefined): number | undefined {
  const value = Array.isArray(serverTiming) ? serverTiming.join(',') : serverTiming;
  const match = value ? /provider;dur=([0-9.]+)/.exec(value) : null;
  return match ? Number(match[1]) : undefined;
}

/** Starts a case; `nodeArguments` go to the gateway's node (e.g. `--cpu-prof`). */
export async function startServeCase(kind: ServeCaseKind, nodeArguments: readonly string[] = []): Promise<ServeCase> {
  const dataDir = await mkdtemp(join(tmpdir(), `memgate-bench-${kind}-`));
  const databases: TestDatabase[] = [];
  const cleanups: (() => Promise<unknown>)[] = [() => rm(dataDir, { recursive: true, force: true })];
  const cleanup = async (): Promise<void> => {
    for (const step of cleanups.reverse()) await step().catch(() => undefined);
  };
  try {
    const env: Record<string, string> = { MEMGATE_DATA_DIR: dataDir, MEMGATE_ADMIN_KEY: adminKey };
    let direct: MemoryProviderV1;
    if (kind === 'embedded') {
      // The gateway's PGlite directory cannot be opened by a second process: the direct calls go to an
      // in-process PGlite of the same kind (on disk, like the gateway's) seeded alike.
      const directDir = await mkdtemp(join(tmpdir(), 'memgate-bench-direct-'));
      cleanups.push(() => rm(directDir, { recursive: true, force: true }));
      direct = createPostgresMemoryProvider({ name: 'direct', connectionString: `pglite://${directDir}` });
    } else {
      const prefix = 'memgate_bench';
      const state = await createTestDatabase({ prefix, container: false });
      databases.push(state);
      const members = [await createTestDatabase({ prefix, container: false })];
      databases.push(members[0]!);
      if (kind === 'pg2') {
        members.push(await createTestDatabase({ prefix, container: false }));
        databases.push(members[1]!);
      }
      cleanups.push(async () => {
        for (const database of databases) await database.drop();
      });
      const config = { providers: members.map((database, index) => ({ name: `pg-${'ab'[index]}`, provider_type: 'postgres', connection_string: database.url, priority: 10 * (index + 1) })) };
      const configFile = join(dataDir, 'memgate.json');
      await writeFile(configFile, JSON.stringify(config));
      env.MEMGATE_STATE_URL = state.url;
      env.MEMGATE_CONFIG = configFile;
      direct = createPostgresMemoryProvider({ name: 'direct', connectionString: members[0]!.url });
    }
    cleanups.push(() => direct.close());
    const serve = await spawnServe(env, nodeArguments);
    cleanups.push(() => serve.stop());
    const http = new Pool(serve.url, { connections: 128, keepAliveTimeout: 60_000 });
    cleanups.push(() => http.close());

    const post = async (path: string, body: unknown): Promise<OpenLoadAnswer> => {
      const response = await http.request({ path, method: 'POST', headers, body: JSON.stringify(body) });
      const answer = await response.body.text();
      if (response.statusCode !== 200) throw new Error(`HTTP ${response.statusCode} from ${path}: ${answer.slice(0, 200)}`);
      const providerMs = providerMsOf(response.headers['server-timing']);
      return providerMs === undefined ? {} : { providerMs };
    };
    const searcher = `bench-search-${kind}`;
    const writer = `bench-write-${kind}`;
    // The searched set is fixed (100 memories of one user, the same through the gateway and direct); adds go to another user.
    // A gateway just started may still shed load (503, event loop behind while it compiles and warms up): retried.
    const seed = async (index: number): Promise<void> => {
      for (let attempt = 1; ; attempt += 1) {
        try {
          await post('/v3/memories/add/', { messages: [{ role: 'user', content: text(index) }], user_id: searcher, infer: false });
          return;
        } catch (error) {
          if (attempt >= 20 || !/HTTP 503/.test((error as Error).message)) throw error;
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      }
    };
    for (let index = 0; index < 100; index += 1) await seed(index);
    if (kind === 'embedded') await direct.add(Array.from({ length: 100 }, (_, index) => ({ userId: searcher, memory: text(index) })));
    const filter = { type: 'condition', field: { kind: 'scope', name: 'userId' }, operator: 'eq', value: searcher } as const;
    const timed = async (work: () => Promise<unknown>): Promise<OpenLoadAnswer> => {
      const started = performance.now();
      await work();
      return { providerMs: performance.now() - started };
    };
    return {
      kind,
      serve,
      direct,
      gatewayAdd: (index) => post('/v3/memories/add/', { messages: [{ role: 'user', content: text(index) }], user_id: writer, infer: false }),
      gatewaySearch: (index) => post('/v3/memories/search/', { query: topics[index % topics.length], filters: { user_id: searcher }, top_k: 10 }),
      directAdd: (index) => timed(() => direct.add([{ userId: `${writer}-direct`, memory: text(index) }])),
      directSearch: (index) => timed(() => direct.search({ query: topics[index % topics.length]!, filter, topK: 10 })),
      async providerTime(operation) {
        const response = await http.request({ path: '/metrics', method: 'GET', headers });
        const body = await response.body.text();
        const total = { sumSeconds: 0, count: 0 };
        const pattern = new RegExp(`^memgate_provider_attempt_duration_seconds_(sum|count)\\{([^}]*)\\} ([0-9.e+-]+)$`, 'gm');
        for (const match of body.matchAll(pattern)) {
          if (!match[2]!.includes(`operation="${operation}"`) || !match[2]!.includes('outcome="success"')) continue;
          if (match[1] === 'sum') total.sumSeconds += Number(match[3]);
          else total.count += Number(match[3]);
        }
        return total;
      },
      async cpu() {
        const postgresMsByPid = new Map<number, number>();
        if (databases.length > 0) {
          const admin = new pg.Client({ connectionString: databases[0]!.url });
          await admin.connect();
          try {
            const { rows } = await admin.query<{ pid: number }>('select pid from pg_stat_activity where datname = any($1::text[]) and pid <> pg_backend_pid()', [databases.map((database) => database.name)]);
            for (const { pid } of rows) postgresMsByPid.set(pid, processCpuMs(pid));
          } finally {
            await admin.end();
          }
        }
        const own = process.cpuUsage();
        return { gatewayMs: processCpuMs(serve.child.pid), benchMs: (own.user + own.system) / 1000, postgresMsByPid };
      },
      close: cleanup,
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
