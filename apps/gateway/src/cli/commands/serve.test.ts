import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '@memgate/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../../bin/memgate.js', import.meta.url));

/** Starts `memgate serve` as a child process and resolves with its URL once it logs that it listens. */
function startCli(env: Record<string, string>, args: string[] = []): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`memgate serve did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /"url":"(http:\/\/[^"]+)"/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1]!, output: () => output });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`memgate serve exited with ${code}:\n${output}`));
    });
  });
}

const exitCode = (child: ChildProcess): Promise<number | null> =>
  child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.once('exit', (code) => resolve(code)));

async function waitUntilReady(url: string): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt += 1) {
    if ((await fetch(`${url}/readyz`)).status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('memgate never became ready');
}

let started: Awaited<ReturnType<typeof startCli>>;
let dataDir: string;
let database: TestDatabase;
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'memgate-serve-'));
  // The server's store on PostgreSQL: it starts in milliseconds where PGlite takes seconds (the PGlite
  // default is covered by the data-plane and client tests). No MEMGATE_ADMIN_KEY: the first start generates one.
  database = await createTestDatabase({ prefix: 'memgate_serve' });
  started = await startCli({ MEMGATE_ADMIN_KEY: '', MEMGATE_MEMORY_URL: database.url, MEMGATE_STATE_URL: database.url, MEMGATE_DATA_DIR: dataDir });
}, 90_000);
afterAll(async () => {
  // Only the child this file started, by its pid, if a failed test left it running.
  if (started?.child.exitCode === null) started.child.kill('SIGKILL');
  await database?.drop();
});

describe('memgate serve', () => {
  let key: string;

  it('generates an admin key on first start, prints it once, keeps only its SHA-256, and accepts it', async () => {
    key = /(mg_admin_[A-Za-z0-9_-]+)/.exec(started.output())![1]!;
    const stored = readFileSync(join(dataDir, 'admin-key.sha256'), 'utf8');
    expect(stored).not.toContain(key);
    expect(stored.trim()).toMatch(/^[0-9a-f]{64}$/);
    expect(started.output().match(/mg_admin_/g)).toHaveLength(1);
    expect((await fetch(`${started.url}/v1/ping/`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
    expect((await fetch(`${started.url}/v1/ping/`, { headers: { authorization: 'Token wrong-key' } })).status).toBe(401);
  });

  it('finishes a request that is in flight when SIGTERM arrives, refuses new connections, and exits 0', async () => {
    await waitUntilReady(started.url);
    const body = JSON.stringify({ messages: [{ role: 'user', content: 'Written across a shutdown' }], user_id: 'sigterm-user', infer: false });
    const half = Math.floor(body.length / 2);
    const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const outgoing = request(`${started.url}/v3/memories/add/`, {
        method: 'POST',
        headers: { authorization: `Token ${key}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      });
      outgoing.on('response', (incoming) => {
        let text = '';
        incoming.on('data', (chunk: Buffer) => (text += chunk.toString()));
        incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, text }));
      });
      outgoing.on('error', reject);
      // Half the body now: the request is in flight on the server when SIGTERM arrives.
      outgoing.write(body.slice(0, half));
      setTimeout(() => {
        started.child.kill('SIGTERM');
        setTimeout(() => outgoing.end(body.slice(half)), 500);
      }, 300);
    });
    await new Promise((resolve) => setTimeout(resolve, 600));
    // A new connection is refused; fetch may reuse one of its kept-alive connections instead, which gets 503 draining.
    const refused = await fetch(`${started.url}/healthz`).then((answer) => (answer.status === 503 && answer.headers.get('connection') === 'close' ? 'draining' : 'answered'), (error: Error) => error.message);
    expect(refused).not.toBe('answered');
    const answered = await response;
    expect(answered.status).toBe(200);
    expect(JSON.parse(answered.text)).toMatchObject({ status: 'SUCCEEDED', results: [{ memory: 'Written across a shutdown' }] });
    expect(await exitCode(started.child)).toBe(0);
    expect(started.output()).toContain('memgate stopped');
  }, 90_000);
});
