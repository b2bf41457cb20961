import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@memgate/testkit';
import { buildDrillConfig, type DrillConfigOptions } from './drill-config.js';
import { createGatewayClient, type GatewayClient } from './gateway-client.js';
import { startBackend, type DrillBackend } from './start-backend.js';
import { startGateway, type RunningGateway } from './start-gateway.js';

/** Options of {@link startDrillEnvironment}: the routing settings of the config file. */
export type DrillEnvironmentOptions = Omit<DrillConfigOptions, 'providers'>;

/** Two PostgreSQL clusters behind fault proxies, and a `memgate serve` routing over them. */
export interface DrillEnvironment {
  /** Priority 0: cluster A through its proxy. */
  readonly primary: DrillBackend;
  /** Priority 1: cluster B through its proxy. */
  readonly backup: DrillBackend;
  readonly gateway: RunningGateway;
  /** An HTTP client of the gateway (admin key). */
  readonly client: GatewayClient;
  /** The config the gateway was started with. */
  readonly config: Record<string, unknown>;
  /** Stops the gateway, the clusters and proxies, drops the state database and removes the temp directory. Never throws; idempotent. */
  close(): Promise<void>;
}

/**
 * Starts a drill's world: two clusters (`primary`, `backup`) with a fault proxy each, a fresh state
 * database on the local PostgreSQL server, a config file, and the gateway as a child process (ready).
 * Whatever started is cleaned up if a later step fails.
 * @throws Error from the step that failed (with the gateway's output when it is the gateway)
 */
export async function startDrillEnvironment(options: DrillEnvironmentOptions = {}): Promise<DrillEnvironment> {
  const directory = mkdtempSync(join(tmpdir(), 'memgate-drill-'));
  const cleanups: (() => Promise<unknown>)[] = [async () => rmSync(directory, { recursive: true, force: true })];
  const close = async (): Promise<void> => {
    // Last started, first stopped: the gateway goes before the clusters it talks to.
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const state: TestDatabase = await createTestDatabase({ prefix: 'memgate_drill' });
    cleanups.push(() => state.drop());
    const started = await Promise.allSettled([startBackend('primary'), startBackend('backup')]);
    for (const result of started) if (result.status === 'fulfilled') cleanups.push(() => result.value.close());
    const [primary, backup] = started.map((result) => {
      if (result.status === 'rejected') throw result.reason;
      return result.value;
    }) as [DrillBackend, DrillBackend];
    const config = buildDrillConfig({ ...options, providers: [primary, backup] });
    const configFile = join(directory, 'memgate.json');
    writeFileSync(configFile, JSON.stringify(config, null, 2));
    const gateway = await startGateway({ configFile, dataDir: join(directory, 'data'), stateUrl: state.url, env: { MEMGATE_MEMORY_URL: state.url } });
    cleanups.push(() => gateway.stop());
    const client = createGatewayClient(gateway.url, gateway.adminKey);
    cleanups.push(() => client.close());
    return { primary, backup, gateway, client, config, close };
  } catch (error) {
    await close();
    throw error;
  }
}
