import { sleep } from '../harness/sleep.js';
import { startLoad } from '../harness/start-load.js';
import type { DrillEnvironment } from '../harness/start-drill-environment.js';
import { summarizeLoad, type LoadSummary } from '../harness/summarize-load.js';
import { watchBreaker, type BreakerObservation } from '../harness/watch-breaker.js';

/** Options of {@link flappingPrimary}. Durations in milliseconds. */
export interface FlappingPrimaryOptions {
  /** Steady load before the flapping. Default 1000. */
  readonly warmupMs?: number;
  /** Each down phase (connections refused, open ones closed). Default 2000. */
  readonly downMs?: number;
  /** Each up phase. Default 2000. */
  readonly upMs?: number;
  /** Total flapping time. Default 12,000 (the drill uses 30,000). */
  readonly durationMs?: number;
  /** Concurrent clients. Default 4. */
  readonly clients?: number;
}

/** What {@link flappingPrimary} measured. */
export interface FlappingPrimaryResult {
  readonly summary: LoadSummary;
  /** The primary's breaker state changes seen during the flapping (polled every 50 ms). */
  readonly breakerChanges: readonly BreakerObservation[];
  /** The shortest time the breaker was seen open before leaving `open`, in ms; `Infinity` if it never left. */
  readonly shortestOpenMs: number;
  /** Times the breaker opened during the flapping (from the statistics' `trips`). */
  readonly trips: number;
  readonly durationMs: number;
}

/** Steady reads while the primary's proxy goes down and up again, `downMs`/`upMs`, for `durationMs`. */
export async function flappingPrimary(env: DrillEnvironment, options: FlappingPrimaryOptions = {}): Promise<FlappingPrimaryResult> {
  const { warmupMs = 1000, downMs = 2000, upMs = 2000, durationMs = 12_000, clients = 4 } = options;
  const load = startLoad({ client: env.client, clients });
  const watch = watchBreaker(env.client, env.primary.name);
  try {
    await sleep(warmupMs);
    const tripsBefore = watch.latest()?.figures.trips ?? 0;
    const faultAt = performance.now();
    while (performance.now() - faultAt < durationMs) {
      await env.primary.proxy.down();
      await sleep(Math.min(downMs, faultAt + durationMs - performance.now()));
      await env.primary.proxy.heal();
      await sleep(Math.min(upMs, faultAt + durationMs - performance.now()));
    }
    const endAt = performance.now();
    await env.primary.proxy.heal();
    const records = await load.stop();
    const changes = (await watch.stop()).filter((change) => change.at >= faultAt && change.at <= endAt + 100);
    let shortestOpenMs = Number.POSITIVE_INFINITY;
    changes.forEach((change, index) => {
      const next = changes[index + 1];
      if (change.state === 'open' && next) shortestOpenMs = Math.min(shortestOpenMs, next.at - change.at);
    });
    return {
      summary: summarizeLoad(records, { faultAt, healAt: endAt, backup: env.backup.name }),
      breakerChanges: changes,
      shortestOpenMs,
      trips: (watch.latest()?.figures.trips ?? tripsBefore) - tripsBefore,
      durationMs: endAt - faultAt,
    };
  } finally {
    await load.stop();
    await watch.stop();
  }
}
