import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createFaultProxy, type FaultProxy } from './create-fault-proxy.js';

// The machine's PostgreSQL, reached through the proxy: the way failover tests use it.
const serverUrl = 'postgres://postgres@127.0.0.1:5432/test';
const opened: { end(): Promise<void> }[] = [];
let proxy: FaultProxy | undefined;
afterEach(async () => {
  await Promise.all(opened.splice(0).map((client) => client.end().catch(() => undefined)));
  await proxy?.close();
});

const connect = async (url: string): Promise<pg.Client> => {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  client.on('error', () => undefined);
  opened.push(client);
  await client.connect();
  return client;
};
const timed = async <T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> => {
  const started = Date.now();
  const result = await work();
  return { ms: Date.now() - started, result };
};

describe('createFaultProxy in front of PostgreSQL', () => {
  it('a pg client works through it, slows with latency, hangs in a blackhole and fails on reset', async () => {
    proxy = await createFaultProxy({ target: { host: '127.0.0.1', port: 5432 } });
    const client = await connect(proxy.rewriteUrl(serverUrl));
    expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);

    proxy.setLatency(150);
    expect((await timed(() => client.query('SELECT 2 AS two'))).ms).toBeGreaterThanOrEqual(145);
    proxy.setLatency(0);

    proxy.blackhole();
    const hanging = client.query('SELECT 3 AS three').then(
      () => 'answered',
      () => 'failed',
    );
    const first = await Promise.race([hanging, new Promise((resolve) => setTimeout(() => resolve('still waiting'), 400))]);
    expect(first).toBe('still waiting');

    proxy.reset();
    expect(await hanging).toBe('failed');
    await expect(connect(proxy.rewriteUrl(serverUrl))).rejects.toThrow();

    await proxy.heal();
    const healed = await connect(proxy.rewriteUrl(serverUrl));
    expect((await healed.query('SELECT 4 AS four')).rows).toEqual([{ four: 4 }]);
  });
});
