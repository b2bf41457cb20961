import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase } from '@memgate/testkit';
import { createGatewayClient, type GatewayClient } from '../harness/gateway-client.js';
import { startGateway, type RunningGateway } from '../harness/start-gateway.js';
import { waitUntil } from '../harness/wait-until.js';
import { startMem0Member, startPostgresMember, type JournalMember, type Mem0MemberOptions } from './journal-member.js';

/** Options of {@link startJournalEnvironment}. */
export interface JournalEnvironmentOptions {
  /** What the primary is: a PostgreSQL cluster (default) or the testkit's mem0 wire server with async adds. The backup is always PostgreSQL. */
  readonly primaryKind?: 'postgres' | 'mem0';
  /** Per-call timeout of each PostgreSQL provider, in milliseconds. Default 1000. */
  readonly attemptTimeoutMs?: number;
  /** The mem0 primary's settings (timeout, event delay, poll interval); see `startMem0Member`. */
  readonly mem0?: Mem0MemberOptions;
  /** Consecutive failures that open a breaker. Default 3. */
  readonly failureThreshold?: number;
  /** Open → half-open, in milliseconds. Default 2000 (the replicator delivers through the breaker). */
  readonly cooldownMs?: number;
  /**
   * Run at the shipped defaults: no `routing` section, and each provider without `timeout` or
   * `health_check_interval` (5 s timeouts, probes every 30 s, 5 s while failing, 5 failures to trip, a
   * 5-minute cooldown, write quorum 1). The other options are then ignored. Default false.
   */
  readonly defaults?: boolean;
  /**
   * A third member after the two PostgreSQL ones (priority 2): the testkit's mem0 wire server, named
   * `mem0`, with the same settings as a mem0 primary (`mem0`). Default false: primary and backup only.
   */
  readonly withMem0Member?: boolean;
  /** `routing.write_quorum`. Default 2: a write is on both members while both are up (and on the one that is up during an outage), so a SIGKILL hides no acknowledged write. */
  readonly writeQuorum?: number;
}

/** Two members (or three) behind one `memgate serve` whose journal lives in a PostgreSQL state database, restartable. */
export interface JournalEnvironment {
  readonly primary: JournalMember;
  readonly backup: JournalMember;
  /** The third member (`withMem0Member`), or undefined. */
  readonly third: JournalMember | undefined;
  /** Every member in priority order: primary, backup and the third when there is one. */
  readonly members: readonly JournalMember[];
  /** `MEMGATE_STATE_URL` of the gateway: where its journal lives (for diagnostics; the drills read through HTTP). Empty when unknown. */
  readonly stateUrl: string;
  /** The gateway now running (changes on {@link restartGateway}). */
  gateway(): RunningGateway;
  /** A client of the gateway now running (a new one after a restart). */
  client(): GatewayClient;
  /** SIGKILLs the gateway (no shutdown of any kind) and resolves once it has exited. */
  killGateway(): Promise<void>;
  /** Starts `memgate serve` again on the same config, data directory and state database; resolves once ready. */
  restartGateway(): Promise<void>;
  /** Stops everything in reverse order, drops the state database. Never throws; idempotent. */
  close(): Promise<void>;
}

/**
 * Starts a journal drill's world: a fresh state database on the local PostgreSQL server
 * (`MEMGATE_STATE_URL`, so a restarted gateway finds its journal), a primary (PostgreSQL cluster or mem0
 * wire server) and a PostgreSQL backup (and with `withMem0Member` a mem0 wire server third), each behind a
 * fault proxy, and the gateway as a child process.
 * @throws Error from the step that failed (whatever started is cleaned up)
 */
export async function startJournalEnvironment(options: JournalEnvironmentOptions = {}): Promise<JournalEnvironment> {
  const { primaryKind = 'postgres', attemptTimeoutMs = 1000, failureThreshold = 3, cooldownMs = 2000, writeQuorum = 2 } = options;
  const directory = mkdtempSync(join(tmpdir(), 'memgate-journal-drill-'));
  const cleanups: (() => Promise<unknown>)[] = [async () => rmSync(directory, { recursive: true, force: true })];
  const close = async (): Promise<void> => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const state = await createTestDatabase({ prefix: 'memgate_journal_drill' });
    cleanups.push(() => state.drop());
    const started: PromiseSettledResult<JournalMember>[] = await Promise.allSettled([
      primaryKind === 'mem0' ? startMem0Member('mem0-primary', options.mem0) : startPostgresMember('primary', attemptTimeoutMs),
      startPostgresMember('backup', attemptTimeoutMs),
      ...(options.withMem0Member ? [startMem0Member('mem0', options.mem0)] : []),
    ]);
    for (const result of started) if (result.status === 'fulfilled') cleanups.push(() => result.value.close());
    const members = started.map((result) => {
      if (result.status === 'rejected') throw result.reason;
      return result.value;
    });
    const [primary, backup, third] = members as [JournalMember, JournalMember, JournalMember | undefined];
    const config = options.defaults
      ? { providers: members.map((member, priority) => ({ ...withoutTimings(member.providerConfig), priority })) }
      : {
          providers: members.map((member, priority) => ({ ...member.providerConfig, priority })),
          routing: {
            strategy: 'priority',
            breaker: { failure_threshold: failureThreshold, cooldown_ms: cooldownMs, half_open_max_calls: 1 },
            write_quorum: writeQuorum,
            panic: false,
          },
        };
    const configFile = join(directory, 'memgate.json');
    writeFileSync(configFile, JSON.stringify(config, null, 2));
    // MEMGATE_DRILL_GATEWAY_NODE_OPTIONS: NODE_OPTIONS for the gateway child (--cpu-prof, --inspect, a preload), for investigations.
    const nodeOptions = process.env.MEMGATE_DRILL_GATEWAY_NODE_OPTIONS;
    const launch = () => startGateway({ configFile, dataDir: join(directory, 'data'), stateUrl: state.url, env: { ...Object.assign({}, ...members.map((member) => member.env)), ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}) } });
    let gateway = await launch();
    let client = createGatewayClient(gateway.url, gateway.adminKey);
    cleanups.push(async () => {
      await client.close().catch(() => undefined);
      await gateway.stop();
    });
    return {
      primary,
      backup,
      third,
      members,
      stateUrl: state.url,
      gateway: () => gateway,
      client: () => client,
      async killGateway() {
        process.kill(gateway.pid, 'SIGKILL');
        await waitUntil(() => gateway.exit() !== undefined, { timeoutMs: 10_000, what: 'the SIGKILLed gateway to exit' });
      },
      async restartGateway() {
        const old = client;
        gateway = await launch();
        client = createGatewayClient(gateway.url, gateway.adminKey);
        await old.close().catch(() => undefined);
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** A provider entry with the shipped `timeout` and `health_check_interval`. */
function withoutTimings(config: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { timeout: _timeout, health_check_interval: _interval, ...rest } = config;
  return rest;
}
