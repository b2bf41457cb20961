/**
 * Starts the real `memgate serve` (apps/gateway/bin/memgate.js, what users run) as a child process on a
 * free loopback port and resolves once it logs its URL. Like the gateway's own test helper, the child
 * gets none of the caller's discovery or MEMGATE_ variables, only `env`. `nodeArguments` go to node
 * itself (e.g. `--cpu-prof`).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const bin = join(dirname(require.resolve('@memgate/gateway/package.json')), 'bin', 'memgate.js');
const discoveryVariable = /^(DATABASE_URL|POSTGRES_URL|PG[A-Z]+|MEM0_[A-Z_]+|REDIS_URL|MEMGATE_[A-Z_]+)$/;

/** A running `memgate serve`. */
export interface ServeProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** What it printed so far (the last 64 KiB). */
  output(): string;
  /** SIGTERM (a clean drain, which also writes a `--cpu-prof` profile), then waits for the exit; SIGKILL after 20 s. */
  stop(): Promise<void>;
}

/** Spawns `memgate serve --port 0` with `env`; rejects with its output when it exits or does not start within 60 s. */
export function spawnServe(env: Record<string, string>, nodeArguments: readonly string[] = []): Promise<ServeProcess> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !discoveryVariable.test(key)));
  const child = spawn(process.execPath, [...nodeArguments, bin, 'serve', '--port', '0'], { env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-65_536);
  };
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    let started = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`memgate serve did not start:\n${output}`));
    }, 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      keep(chunk);
      const match = started ? null : /"url":"(http:\/\/[^"]+)"/.exec(output);
      if (match) {
        started = true;
        clearTimeout(timer);
        resolve({ child, url: match[1]!, output: () => output, stop });
      }
    });
    child.stderr!.on('data', keep);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (!started) reject(new Error(`memgate serve exited with ${code}:\n${output}`));
    });
  });
}
