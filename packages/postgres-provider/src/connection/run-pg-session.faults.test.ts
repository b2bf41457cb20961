import { parseMemoryFilter, ProviderTimeoutError, ProviderUnavailableError, type MemoryProviderV1CallOptions } from '@memgate/core';
import { createFaultProxy, startPostgresCluster, type FaultProxy, type PostgresCluster } from '@memgate/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPostgresMemoryProvider } from '../create-postgres-memory-provider.js';

// One throwaway cluster for the file: these tests kill it and cut its network, never the shared server.
let cluster: PostgresCluster;
const filter = parseMemoryFilter({ user_id: 'drill' });
const page = { page: 1, pageSize: 5 };
const within = (ms: number): MemoryProviderV1CallOptions => ({ deadline: Date.now() + ms });
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  cluster = await startPostgresCluster();
}, 60_000);

afterAll(async () => {
  await cluster?.stop();
});

describe('postgres provider when the server or the network fails', () => {
  it('survives a SIGKILL of the server under concurrent load: calls fail with a retryable ProviderUnavailableError, nothing is thrown uncaught, and calls succeed again after a restart', async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown): void => void uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    const provider = createPostgresMemoryProvider({ name: 'killed', connectionString: cluster.url, poolSize: 4 });
    try {
      await provider.list(filter, page, within(10_000));
      let stop = false;
      const failures: unknown[] = [];
      const loops = Array.from({ length: 4 }, async () => {
        for (let round = 0; !stop && round < 10_000; round += 1) {
          await provider.list(filter, page, within(1_000)).catch((error: unknown) => failures.push(error));
        }
      });
      await sleep(300);
      await cluster.kill('SIGKILL');
      await sleep(500);
      stop = true;
      await Promise.all(loops);
      const afterKill = await provider.list(filter, page, within(1_000)).catch((error: unknown) => error);
      expect(uncaught).toEqual([]);
      expect(failures.length).toBeGreaterThan(0);
      for (const failure of [...failures, afterKill]) {
        expect(ProviderUnavailableError.isInstance(failure), String(failure)).toBe(true);
        expect((failure as ProviderUnavailableError).isRetryable).toBe(true);
      }
      await cluster.restart();
      await expect(provider.list(filter, page, within(5_000))).resolves.toEqual({ items: [], total: 0 });
    } finally {
      process.off('uncaughtException', onUncaught);
      await provider.close();
    }
  }, 30_000);

  it('behind a blackholed network, calls with a 300 ms deadline reject with ProviderTimeoutError in time, and after healing the next calls succeed promptly with no connection left stuck', async () => {
    let proxy: FaultProxy | undefined;
    const pool = new pg.Pool({ max: 4, connectionTimeoutMillis: 1_000 });
    try {
      proxy = await createFaultProxy({ target: { host: '127.0.0.1', port: cluster.port } });
      const url = new URL(proxy.rewriteUrl(cluster.url));
      Object.assign(pool.options, { host: url.hostname, port: Number(url.port), user: 'postgres', database: 'postgres' });
      pool.on('error', () => undefined);
      const provider = createPostgresMemoryProvider({ name: 'blackholed', pool });
      await provider.list(filter, page, within(10_000));
      proxy.blackhole();
      // More calls than the pool has connections: a leak would leave none for the calls after healing.
      for (let round = 0; round < 6; round += 1) {
        const started = Date.now();
        const failure = await provider.list(filter, page, within(300)).catch((error: unknown) => error);
        expect(ProviderTimeoutError.isInstance(failure), String(failure)).toBe(true);
        expect(Date.now() - started).toBeLessThan(300 + 150);
      }
      await proxy.heal();
      // Connects begun behind the blackhole give up after the pool's connectionTimeoutMillis (1 s) at the latest.
      const healed = Date.now();
      await expect(provider.list(filter, page, within(1_500))).resolves.toEqual({ items: [], total: 0 });
      await expect(provider.list(filter, page, within(300))).resolves.toEqual({ items: [], total: 0 });
      expect(Date.now() - healed).toBeLessThan(1_500);
      // Every connection left is idle in the pool once the connects begun behind the blackhole have given up.
      await vi.waitFor(() => expect({ waiting: pool.waitingCount, withinMax: pool.totalCount <= 4, allIdle: pool.idleCount === pool.totalCount }).toEqual({ waiting: 0, withinMax: true, allIdle: true }), { timeout: 2_000, interval: 50 });
      await provider.close();
    } finally {
      await pool.end();
      await proxy?.close();
    }
  }, 30_000);
});
