import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { postgresAnswers } from '../postgres/postgres-answers.js';
import { isAlive, processTree } from './process-tree.js';
import { startPostgresCluster, type PostgresCluster } from './start-postgres-cluster.js';

const clusters: PostgresCluster[] = [];
afterAll(async () => {
  await Promise.all(clusters.map((cluster) => cluster.stop()));
});

const query = async (url: string, sql: string): Promise<unknown[]> => {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end().catch(() => undefined);
  }
};

describe('startPostgresCluster', { timeout: 60_000 }, () => {
  it('starts a PostgreSQL 15 cluster on a free port with trust auth; SIGKILL crashes it; restart brings back its data', async () => {
    const cluster = await startPostgresCluster();
    clusters.push(cluster);
    expect(cluster.url).toBe(`postgres://postgres@127.0.0.1:${cluster.port}/postgres`);
    expect(await query(cluster.url, "SELECT current_setting('server_version_num')::int / 10000 AS major")).toEqual([{ major: 15 }]);
    await query(cluster.url, 'CREATE TABLE kept (n int); INSERT INTO kept VALUES (42)');

    const before = processTree(cluster.pid);
    expect(before.length).toBeGreaterThan(1);
    await cluster.kill('SIGKILL');
    expect(before.some(isAlive)).toBe(false);
    expect(await postgresAnswers(cluster.url, 500)).toBe(false);

    await cluster.restart();
    expect(cluster.pid).not.toBe(before[0]);
    expect(await query(cluster.url, 'SELECT n FROM kept')).toEqual([{ n: 42 }]);
  });

  it('pause() makes queries hang without refusing connections; resume() lets them finish', async () => {
    const cluster = await startPostgresCluster();
    clusters.push(cluster);
    const client = new pg.Client({ connectionString: cluster.url });
    client.on('error', () => undefined);
    await client.connect();
    cluster.pause();
    let done = false;
    const pending = client.query('SELECT 1 AS one').then((result) => {
      done = true;
      return result.rows;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(done).toBe(false);
    cluster.resume();
    expect(await pending).toEqual([{ one: 1 }]);
    await client.end();
  });

  it('two clusters run side by side on different ports; stop() removes the files and is idempotent', async () => {
    const [first, second] = await Promise.all([startPostgresCluster(), startPostgresCluster()]);
    clusters.push(first!, second!);
    expect(first!.port).not.toBe(second!.port);
    await first!.stop();
    await first!.stop();
    expect(existsSync(first!.directory)).toBe(false);
    expect(await postgresAnswers(first!.url, 500)).toBe(false);
    expect(await postgresAnswers(second!.url, 2_000)).toBe(true);
  });

  it('a fast shutdown (SIGINT) stops it cleanly and restart() starts it again', async () => {
    const cluster = await startPostgresCluster();
    clusters.push(cluster);
    await cluster.kill('SIGINT');
    expect(await postgresAnswers(cluster.url, 500)).toBe(false);
    await cluster.restart();
    expect(await postgresAnswers(cluster.url, 2_000)).toBe(true);
  });

  it('fails with initdb/postgres named when the binaries are missing, leaving no directory behind', async () => {
    await expect(startPostgresCluster({ binDirectory: '/nonexistent/bin' })).rejects.toThrow(/initdb/);
  });

  it('a cluster dies with its test process, even when that process is SIGKILLed', async () => {
    const module = fileURLToPath(new URL('./start-postgres-cluster.ts', import.meta.url));
    const script = `const { startPostgresCluster } = await import(${JSON.stringify(module)}); const c = await startPostgresCluster(); console.log(JSON.stringify({ url: c.url, directory: c.directory })); setInterval(() => {}, 1000);`;
    const orphaned = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const line = await new Promise<string>((resolve, reject) => {
      orphaned.stdout.on('data', (chunk: Buffer) => resolve(chunk.toString()));
      orphaned.on('exit', (code) => reject(new Error(`child exited with ${code}`)));
    });
    const { url, directory } = JSON.parse(line) as { url: string; directory: string };
    expect(await postgresAnswers(url, 2_000)).toBe(true);
    orphaned.kill('SIGKILL');
    const until = Date.now() + 10_000;
    while (existsSync(directory) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(existsSync(directory)).toBe(false);
    expect(await postgresAnswers(url, 500)).toBe(false);
  });
});
