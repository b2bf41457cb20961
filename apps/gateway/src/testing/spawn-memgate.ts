import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/memgate.js', import.meta.url));

/** Environment variables that make the registry discover providers; tests start from none of them. */
const discoveryVariable = /^(DATABASE_URL|POSTGRES_URL|PG[A-Z]+|MEM0_[A-Z_]+|REDIS_URL|MEMGATE_[A-Z_]+)$/;

/** A `memgate serve` child process. */
export interface SpawnedMemgate {
  readonly child: ChildProcess;
  readonly url: string;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** SIGTERM, then waits for the exit (SIGKILL after 10 s). */
  stop(): Promise<void>;
}

/**
 * Starts `memgate serve --port 0` as a child process with `env` on top of this process's environment,
 * minus any discovery or MEMGATE_ variables of the caller's shell, and resolves once it logs its URL.
 */
export function spawnMemgate(env: Record<string, string>, args: readonly string[] = []): Promise<SpawnedMemgate> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !discoveryVariable.test(key)));
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', ...args], { env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`memgate serve did not start:\n${output}`));
    }, 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"url":"(https?:\/\/[^"]+)"/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1]!, output: () => output, stop });
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`memgate serve exited with ${code}:\n${output}`));
    });
  });
}
