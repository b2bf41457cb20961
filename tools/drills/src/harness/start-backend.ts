import { createFaultProxy, startPostgresCluster, type FaultProxy, type PostgresCluster } from '@memgate/testkit';

/** One memory backend of a drill: a throwaway PostgreSQL cluster behind its own fault proxy. */
export interface DrillBackend {
  /** The provider name the gateway knows it by. */
  readonly name: string;
  readonly cluster: PostgresCluster;
  /** Sits between the gateway and the cluster: faults are injected here, never in the gateway. */
  readonly proxy: FaultProxy;
  /** The cluster's URL through the proxy: what the gateway's config points at. */
  readonly url: string;
  /** Closes the proxy and stops the cluster (deleting its directory). Idempotent; never throws. */
  close(): Promise<void>;
}

/**
 * Starts a PostgreSQL cluster (testkit's `startPostgresCluster`) and a fault proxy in front of it.
 * @throws Error when the cluster does not start (the half-started parts are cleaned up first)
 */
export async function startBackend(name: string): Promise<DrillBackend> {
  const cluster = await startPostgresCluster();
  let proxy: FaultProxy;
  try {
    proxy = await createFaultProxy({ target: { host: '127.0.0.1', port: cluster.port } });
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    name,
    cluster,
    proxy,
    url: proxy.rewriteUrl(cluster.url),
    close: () => (closing ??= Promise.allSettled([proxy.close(), cluster.stop()]).then(() => undefined)),
  };
}
