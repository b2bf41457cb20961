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
  /** Longest wait for the primary to be isolated after the fault. Default 10,000. */
  readonly openTimeoutMs?: number;
  /**
   * Whether isolation must be the breaker opening (default), or may be the router's health gate: the
   * monitor calls the primary unhealthy after its failed calls and probes and the router stops trying it
   * first, before a fifth consecutive failure can open the breaker (what happens at the defaults, where
   * each failure is a 5 s timeout). Then isolation is the first request served by the backup without
   * trying the primary.
   */
  readonly requireBreakerOpen?: boolean;
  /** The clients' own timeout per request. Default 5000 (see `startLoad`). */
  readonly requestTimeoutMs?: number;
}

/** What {@link blackholePrimary} measured. */
export interface BlackholePrimaryResult {
  readonly summary: LoadSummary;
  /** From the fault until the primary's breaker was seen open (polled every 50 ms), or it was isolated (see `requireBreakerOpen`). */
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
  const { warmupMs = 1500, faultMs = 4000, clients = 4, recoveryTimeoutMs = 15_000, requestTimeoutMs = 5000, openTimeoutMs = 10_000, requireBreakerOpen = true } = options;
  const load = startLoad({ client: env.client, clients, requestTimeoutMs });
  // Watching from the start: the state before the fault is then seen before the fault.
  const watch = watchBreaker(env.client, env.primary.name);
  try {
    await sleep(warmupMs);
    const before = await readMemberFigures(env.client, env.primary.name);
    const faultAt = performance.now();
    env.primary.proxy.blackhole();
    const opened = await waitUntil(
      () => {
        const open = watch.changes.find((change) => change.at >= faultAt && change.state === 'open');
        if (open || requireBreakerOpen) return open;
        const skipped = load.records.find((record) => record.startedAt >= faultAt && record.provider === env.backup.name && record.fallbacks === 0);
        return skipped ? { at: skipped.endedAt, figures: watch.latest()!.figures } : undefined;
      },
      { timeoutMs: openTimeoutMs, what: requireBreakerOpen ? 'the primary breaker to open' : 'the primary to be isolated' },
    );
    await sleep(faultAt + faultMs - performance.now());
    const healAt = performance.now();
    await env.primary.proxy.heal();
    const recovered = await waitUntil(
      () => {
        const closed = watch.changes.find((change) => change.at >= healAt && change.state === 'closed') ?? (watch.latest()?.state === 'closed' && watch.latest()!.at >= healAt ? watch.latest() : undefined);
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
