import { createFaultProxy, type FaultProxy } from '@memgate/testkit';
import { createMem0WireServer, type Mem0WireServer } from '@memgate/testkit/mem0-server';
import { startBackend, type DrillBackend } from '../harness/start-backend.js';

/** One member of a journal drill's pool, with the outage it can suffer. */
export interface JournalMember {
  /** The provider name the gateway knows it by. */
  readonly name: string;
  /** Its entry in the config file's `providers` (without `priority`). */
  readonly providerConfig: Readonly<Record<string, unknown>>;
  /** Extra environment the gateway needs for it (secret references). */
  readonly env: Readonly<Record<string, string>>;
  /** Crashes it: a PostgreSQL cluster is SIGKILLed (postmaster and backends), a mem0 server's proxy refuses connections. */
  crash(): Promise<void>;
  /** Brings it back on the same address with the same data. */
  recover(): Promise<void>;
  /** Stops it for good. Idempotent; never throws. */
  close(): Promise<void>;
}

/** A PostgreSQL cluster behind a fault proxy (the reflex drills' backend) as a journal drill member. */
export async function startPostgresMember(name: string, timeoutMs: number): Promise<JournalMember & { readonly backend: DrillBackend }> {
  const backend = await startBackend(name);
  return {
    name,
    backend,
    providerConfig: { name, provider_type: 'postgres', connection_string: backend.url, timeout: timeoutMs, health_check_interval: 1 },
    env: {},
    crash: () => backend.cluster.kill('SIGKILL'),
    recover: () => backend.cluster.restart(),
    close: () => backend.close(),
  };
}

/** Options of {@link startMem0Member}. Durations in milliseconds. */
export interface Mem0MemberOptions {
  /** The provider's `timeout` (each call, event polling included). Default 10,000. */
  readonly timeoutMs?: number;
  /** How long the server keeps each add's event PENDING. Default 20. */
  readonly eventDelayMs?: number;
  /** The provider's `pollIntervalMs` between polls of a PENDING event. Default 25 (the provider's own default is 250). */
  readonly pollIntervalMs?: number;
}

/**
 * The testkit's mem0 wire server (Platform mode) behind a fault proxy, with asynchronous adds on: every
 * add answers PENDING and the provider polls the event until it has SUCCEEDED.
 */
export async function startMem0Member(name: string, options: Mem0MemberOptions = {}): Promise<JournalMember & { readonly server: Mem0WireServer; readonly proxy: FaultProxy }> {
  const { timeoutMs = 10_000, eventDelayMs = 20, pollIntervalMs = 25 } = options;
  const server = await createMem0WireServer({ mode: 'platform' });
  server.faults.asyncAdds = true;
  server.faults.eventDelayMs = eventDelayMs;
  let proxy: FaultProxy;
  try {
    proxy = await createFaultProxy({ target: { host: '127.0.0.1', port: server.port } });
  } catch (error) {
    await server.close();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    name,
    server,
    proxy,
    providerConfig: {
      name,
      provider_type: 'mem0',
      connection_string: proxy.rewriteUrl(server.url),
      timeout: timeoutMs,
      health_check_interval: 1,
      settings: { mode: 'platform', apiKey: '${MEMGATE_DRILL_MEM0_KEY}', pollIntervalMs },
    },
    env: { MEMGATE_DRILL_MEM0_KEY: server.apiKey },
    crash: async () => proxy.down(),
    recover: async () => proxy.heal(),
    close: () => (closing ??= Promise.allSettled([proxy.close(), server.close()]).then(() => undefined)),
  };
}
