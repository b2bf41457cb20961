import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { RunningServer } from './start-server.js';

/** Options of {@link shutDownGracefully}. */
export interface ShutDownGracefullyOptions {
  readonly server: RunningServer;
  /** Closes what the server served: for `memgate serve`, the composed gateway (replicator, pool, stores). */
  readonly closeGateway: () => Promise<void>;
  /** The deadline of the drain, in milliseconds from now; connections still open then are destroyed. */
  readonly timeoutMs: number;
  readonly logger: Logger;
}

/**
 * Time the stores get to close after the drain's deadline. Closing them is what leaves the journal,
 * the decisions and the audit trail consistent, so it is not cut at the deadline itself; but a store
 * that hangs (an unreachable database) must not keep the process alive forever.
 */
const storeCloseGraceMs = 2_000;

/**
 * The shutdown of `memgate serve`: drains the server (see `RunningServer.close`), then closes the
 * gateway, whose replicator stops after the batch in flight before the stores close. Resolves with
 * the process's exit code: 0 when every accepted request completed and everything closed, 1 when
 * requests were cut at the deadline or the gateway failed to close. If the stores have not closed
 * `storeCloseGraceMs` after the deadline, the process exits 1 there and then.
 */
export async function shutDownGracefully({ server, closeGateway, timeoutMs, logger }: ShutDownGracefullyOptions): Promise<number> {
  const startedAt = performance.now();
  const backstop = setTimeout(() => {
    logger.error({ timeoutMs, storeCloseGraceMs }, 'shutdown: the stores did not close in time; exiting');
    process.exit(1);
  }, timeoutMs + storeCloseGraceMs);
  // Only a hung close keeps the loop alive; a clean one must not wait for this timer.
  backstop.unref();
  const drain = await server.drain(timeoutMs);
  if (!drain.drained) logger.error({ drain, timeoutMs }, `shutdown deadline passed: ${drain.cut} requests still running were cut`);
  let closed = true;
  try {
    await closeGateway();
  } catch (error) {
    closed = false;
    logger.error({ err: error }, 'shutdown: closing the gateway failed');
  }
  clearTimeout(backstop);
  logger.info({ drain, shutdownMs: Math.round(performance.now() - startedAt) }, 'memgate stopped');
  return drain.drained && closed ? 0 : 1;
}
