import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { postgresAnswers } from '../postgres/postgres-answers.js';
import { removeCluster, trackCluster, untrackCluster } from './cluster-cleanup.js';
import { freePort } from './free-port.js';
import { initClusterData, makeOwnedDirectory } from './init-cluster-data.js';
import { postgresOsUser } from './postgres-os-user.js';
import { processTree, signalTree, waitForExit } from './process-tree.js';

/** Options of {@link startPostgresCluster}. */
export interface PostgresClusterOptions {
  /** Where `initdb` and `postgres` live. Default `MEMGATE_PG_BIN` or `/usr/lib/postgresql/15/bin`. */
  readonly binDirectory?: string;
  /** Extra server settings (`-c name=value`), over small test defaults (shared_buffers 16MB, max_connections 40, fsync off, autovacuum off). */
  readonly settings?: Readonly<Record<string, string | number>>;
  /** How long to wait for the server to accept connections, in milliseconds. Default 30,000. */
  readonly startTimeoutMs?: number;
}

/** A throwaway PostgreSQL cluster run by the test process, with hooks to crash, hang and revive it. */
export interface PostgresCluster {
  /** Superuser URL of its `postgres` database: `postgres://postgres@127.0.0.1:<port>/postgres`. */
  readonly url: string;
  readonly port: number;
  /** The postmaster's pid while running; changes on restart. */
  readonly pid: number;
  /** The cluster's directory (data in `data/`, the Unix socket beside it). */
  readonly directory: string;
  /** Signals the server. SIGKILL (default) kills the postmaster and every backend at once, like a crash; SIGTERM/SIGINT/SIGQUIT are PostgreSQL's smart/fast/immediate shutdowns. Resolves when the postmaster and its backends have exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** SIGSTOP to the postmaster and every backend: connections hang, nothing is refused. */
  pause(): void;
  /** SIGCONT to the postmaster and every backend. */
  resume(): void;
  /** Starts the server again on the same port and data (after a kill, or after a fast shutdown if it runs). Resolves when it accepts connections. */
  restart(): Promise<void>;
  /** Fast shutdown, then deletes the directory. Idempotent. */
  stop(): Promise<void>;
}

// fsync off loses data only when the OS crashes, never when postgres is killed, so crash drills
// stay honest. synchronous_commit stays on: off would lose acknowledged commits on SIGKILL.
const defaultSettings: Record<string, string | number> = {
  shared_buffers: '16MB',
  max_connections: 40,
  fsync: 'off',
  full_page_writes: 'off',
  max_wal_size: '64MB',
  max_worker_processes: 4,
  autovacuum: 'off',
  logging_collector: 'off',
};

/**
 * Starts a PostgreSQL cluster with `initdb` and `postgres` on a free port in a temporary directory,
 * trust auth, as the `postgres` OS user when we are root. Clusters are removed by `stop()`, and by
 * an exit hook if the process ends first (not if it is SIGKILLed).
 * @throws Error with initdb's or postgres's own message when either fails, or when the server does not answer in time
 */
export async function startPostgresCluster(options: PostgresClusterOptions = {}): Promise<PostgresCluster> {
  const binDirectory = options.binDirectory ?? process.env.MEMGATE_PG_BIN ?? '/usr/lib/postgresql/15/bin';
  const user = postgresOsUser();
  const directory = makeOwnedDirectory('memgate-pg-', user);
  let child: ChildProcess | undefined;
  let log = '';
  trackCluster(directory, () => (running() ? child?.pid : undefined));
  const settings = { ...defaultSettings, ...options.settings };
  const startTimeoutMs = options.startTimeoutMs ?? 30_000;

  const launch = async (port: number): Promise<void> => {
    const args = ['-D', join(directory, 'data'), '-p', String(port), '-k', directory, '-c', 'listen_addresses=127.0.0.1'];
    for (const [name, value] of Object.entries(settings)) args.push('-c', `${name}=${value}`);
    log = '';
    const started = spawn(join(binDirectory, 'postgres'), args, { ...(user ?? {}), stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    child = started;
    started.stderr?.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4_000)));
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    const until = Date.now() + startTimeoutMs;
    while (!(await postgresAnswers(url, 1_000))) {
      if (started.exitCode !== null || started.signalCode !== null) throw new Error(`postgres exited while starting (code ${started.exitCode ?? started.signalCode}): ${log.trim()}`);
      if (Date.now() > until) throw new Error(`postgres did not accept connections on port ${port} within ${startTimeoutMs} ms: ${log.trim()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const exited = async (): Promise<void> => {
    if (child && child.exitCode === null && child.signalCode === null) await once(child, 'exit');
  };
  const running = (): boolean => child !== undefined && child.exitCode === null && child.signalCode === null;

  let port = 0;
  try {
    await initClusterData(binDirectory, join(directory, 'data'), user);
    // The port is free when we look but might be taken before postgres binds it: try a few.
    for (let attempt = 1; ; attempt += 1) {
      port = await freePort();
      try {
        await launch(port);
        break;
      } catch (error) {
        if (attempt >= 3 || !/could not (bind|create listen)|Address already in use/i.test(log)) throw error;
      }
    }
  } catch (error) {
    removeCluster(directory, child?.pid);
    untrackCluster(directory);
    throw error;
  }

  let stopped = false;
  const cluster: PostgresCluster = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    directory,
    get pid() {
      return child!.pid!;
    },
    async kill(signal = 'SIGKILL') {
      if (!running()) return;
      const tree = processTree(child!.pid!);
      if (signal === 'SIGKILL') {
        signalTree(child!.pid!, 'SIGKILL');
      } else {
        signalTree(child!.pid!, 'SIGCONT');
        child!.kill(signal);
      }
      await exited();
      // Resolve only once the backends are gone too, so a restart finds the shared memory free.
      await waitForExit(tree, 5_000);
    },
    pause() {
      if (running()) signalTree(child!.pid!, 'SIGSTOP');
    },
    resume() {
      if (running()) signalTree(child!.pid!, 'SIGCONT');
    },
    async restart() {
      if (stopped) throw new Error('restart: the cluster was stopped and its files deleted');
      if (running()) await cluster.kill('SIGINT');
      // Backends of a killed postmaster may linger a moment holding shared memory: retry briefly.
      for (let attempt = 1; ; attempt += 1) {
        try {
          await launch(port);
          return;
        } catch (error) {
          if (attempt >= 5 || !/shared memory|lock file|already in use/i.test(log)) throw error;
          await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
        }
      }
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (running()) {
        const timer = setTimeout(() => signalTree(child!.pid!, 'SIGKILL'), 10_000);
        await cluster.kill('SIGINT');
        clearTimeout(timer);
      }
      removeCluster(directory, undefined);
      untrackCluster(directory);
    },
  };
  return cluster;
}
