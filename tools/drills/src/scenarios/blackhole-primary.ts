import type { DrillEnvironment } from '../harness/start-drill-environment.js';
import { readMemberFigures } from '../harness/failover-api.js';
import { sleep } from '../harness/sleep.js';
import { startLoad } from '../harness/start-load.js';
import { summarizeLoad, type LoadSummary } from '../harness/summarize-load.js';
import { waitUntil } from '../harness/wait-until.js';
import { watchBreaker } from '../harness/watch-breaker.js';

/** Options of {@link blackholePrimary}. Durations in milliseconds. */
export interface BlackholePrimaryOptions {
  /** Steady load before the fault. Default 1500. */
  readonly warmupMs?: number;
  /** How long the primary stays blackholed. Default 4000. */
  readonly faultMs?: number;
  /** Concurrent clients. Default 4. */
  readonly clients?: number;
  /** Longest wait for traffic to return to the primary after the heal. Default 15,000. */
  readonly recoveryTimeoutMs?: number;
}

/** What {@link blackholePrimary} measured. */
export interface BlackholePrimaryResult {
  readonly summary: LoadSummary;
  /** From the fault until the primary's breaker was seen open (polled every 50 ms). */
  readonly breakerOpenedAfterMs: number;
  /** The primary's failed attempts counted between the fault and the breaker opening. */
  readonly failuresBeforeOpen: number;
  /** From the heal until the breaker was seen closed again and a request was served by the primary. */
  readonly recoveredAfterMs: number;
  /** Breaker states seen, in order, from the fault on. */
  readonly breakerStates: readonly string[];
  /** Share of the requests that started 500 ms after recovery and were served by the primary. */
  readonly primaryShareAfterRecovery: number;
}

/**
 * Steady reads; the primary's proxy swallows all traffic (a partition: connections hang, nothing is
 * refused); the breaker should open, the backup serve; after `heal()` a half-open trial should close
 * the breaker and traffic return to the primary.
 */
export async function blackholePrimary(env: DrillEnvironment, options: BlackholePrimaryOptions = {}): Promise<BlackholePrimaryResult> {
  const { warmupMs = 1500, faultMs = 4000, clients = 4, recoveryTimeoutMs = 15_000 } = options;
  const load = startLoad({ client: env.client, clients });
  // Watching from the start: the state before the fault is then seen before the fault.
  const watch = watchBreaker(env.client, env.primary.name);
  try {
    await sleep(warmupMs);
    const before = await readMemberFigures(env.client, env.primary.name);
    const faultAt = performance.now();
    env.primary.proxy.blackhole();
    const opened = await waitUntil(() => watch.changes.find((change) => change.at >= faultAt && change.state === 'open'), { timeoutMs: 10_000, what: 'the primary breaker to open' });
    await sleep(faultAt + faultMs - performance.now());
    const healAt = performance.now();
    await env.primary.proxy.heal();
    const recovered = await waitUntil(
      () => {
        const closed = watch.changes.find((change) => change.at >= healAt && change.state === 'closed');
        const served = load.records.find((record) => record.startedAt >= healAt && record.provider === env.primary.name);
        return closed && served ? Math.max(closed.at, served.endedAt) : undefined;
      },
      { timeoutMs: recoveryTimeoutMs, what: 'the primary breaker to close and serve again' },
    );
    await sleep(1500);
    const records = await load.stop();
    const changes = await watch.stop();
    const after = records.filter((record) => record.startedAt >= recovered + 500);
    return {
      summary: summarizeLoad(records, { faultAt, healAt, backup: env.backup.name }),
      breakerOpenedAfterMs: opened.at - faultAt,
      failuresBeforeOpen: opened.figures.failures - before.failures,
      recoveredAfterMs: recovered - healAt,
      breakerStates: changes.filter((change) => change.at >= faultAt).map((change) => change.state),
      primaryShareAfterRecovery: after.filter((record) => record.provider === env.primary.name).length / Math.max(1, after.length),
    };
  } finally {
    await load.stop();
    await watch.stop();
  }
}
