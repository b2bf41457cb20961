import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { waitUntil } from './wait-until.js';

/** Options of {@link startGateway}. */
export interface StartGatewayOptions {
  /** The `--config` file. */
  readonly configFile: string;
  /** The `--data-dir` (a temp directory of the drill). */
  readonly dataDir: string;
  /** `MEMGATE_STATE_URL`: the control-plane store (a fresh PostgreSQL database starts in milliseconds, PGlite in seconds). */
  readonly stateUrl: string;
  /** Extra environment for the child (on top of a clean one: no DATABASE_URL or MEM0_* discovery). */
  readonly env?: Readonly<Record<string, string>>;
  /** How long to wait for `/readyz` to answer 200, in milliseconds. Default 60,000. */
  readonly readyTimeoutMs?: number;
}

/** A `memgate serve` child process. */
export interface RunningGateway {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** The admin key it was started with (`MEMGATE_ADMIN_KEY`). */
  readonly adminKey: string;
  readonly pid: number;
  /** The last 64 KB of its stdout and stderr, for failure messages. */
  output(): string;
  /** `undefined` while it runs; else its exit code or the signal that ended it (a crash shows here). */
  exit(): number | NodeJS.Signals | undefined;
  /** SIGTERM, then SIGKILL after `graceMs` (default 5000). Resolves when it has exited. Idempotent. */
  stop(graceMs?: number): Promise<void>;
}

const gatewayBin = join(dirname(createRequire(import.meta.url).resolve('@memgate/gateway/package.json')), 'bin', 'memgate.js');
const keptOutputChars = 64 * 1024;
const alive = new Set<ChildProcess>();
// A test process that ends abruptly must not leave gateways behind (only the children started here).
process.once('exit', () => alive.forEach((child) => child.kill('SIGKILL')));

/**
 * Starts `memgate serve --port 0` as a child process with a fresh admin key and a clean environment,
 * and resolves once `/readyz` answers 200.
 * @throws Error with the child's output when it exits early or is not ready in time (the child is killed)
 */
export async function startGateway(options: StartGatewayOptions): Promise<RunningGateway> {
  const adminKey = `drill_${randomBytes(24).toString('hex')}`;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    TMPDIR: process.env.TMPDIR ?? '/tmp',
    MEMGATE_ADMIN_KEY: adminKey,
    MEMGATE_STATE_URL: options.stateUrl,
    MEMGATE_LOG_LEVEL: 'info',
    ...options.env,
  };
  const child = spawn(process.execPath, [gatewayBin, 'serve', '--port', '0', '--host', '127.0.0.1', '--data-dir', options.dataDir, '--config', options.configFile], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  alive.add(child);
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-keptOutputChars);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => alive.delete(child));
  let stopping: Promise<void> | undefined;
  const stop = (graceMs = 5000): Promise<void> =>
    (stopping ??= (async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    })());
  try {
    const url = await waitUntil(() => {
      if (child.exitCode !== null) throw new Error(`memgate serve exited with ${child.exitCode}`);
      return /"url":"(http:\/\/[^"]+)"/.exec(output)?.[1];
    }, { timeoutMs: 60_000, what: 'memgate serve to listen' });
    await waitUntil(async () => (await fetch(`${url}/readyz`).then((response) => response.status === 200, () => false)) || undefined, {
      timeoutMs: options.readyTimeoutMs ?? 60_000,
      intervalMs: 200,
      what: 'memgate /readyz to answer 200',
    });
    return { url, adminKey, pid: child.pid!, output: () => output, exit: () => child.exitCode ?? child.signalCode ?? undefined, stop };
  } catch (error) {
    await stop(1000);
    throw new Error(`${(error as Error).message}\n--- memgate output ---\n${output}`);
  }
}
