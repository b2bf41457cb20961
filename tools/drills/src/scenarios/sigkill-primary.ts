import { sleep } from '../harness/sleep.js';
import { startLoad } from '../harness/start-load.js';
import type { DrillEnvironment } from '../harness/start-drill-environment.js';
import { summarizeLoad, type LoadSummary } from '../harness/summarize-load.js';
import type { LoadRecord } from '../harness/load-record.js';

/** Options of {@link sigkillPrimary}. Durations in milliseconds. */
export interface SigkillPrimaryOptions {
  /** Steady load before the crash. Default 1500. */
  readonly warmupMs?: number;
  /** Load after the crash. Default 4000. */
  readonly faultMs?: number;
  /** Concurrent clients. Default 4. */
  readonly clients?: number;
  /** Share of writes. Default 0.5. */
  readonly writeRatio?: number;
  /** Restart the primary's cluster at the end (the drill does; it shows the gateway survives it). Default false. */
  readonly restart?: boolean;
}

/** What {@link sigkillPrimary} measured. */
export interface SigkillPrimaryResult {
  readonly summary: LoadSummary;
  /** Requests that started after the crash. */
  readonly afterCrash: readonly LoadRecord[];
}

/** Mixed reads and writes; the primary's postmaster and backends are SIGKILLed at once (a crash). */
export async function sigkillPrimary(env: DrillEnvironment, options: SigkillPrimaryOptions = {}): Promise<SigkillPrimaryResult> {
  const { warmupMs = 1500, faultMs = 4000, clients = 4, writeRatio = 0.5 } = options;
  const load = startLoad({ client: env.client, clients, writeRatio });
  try {
    await sleep(warmupMs);
    const faultAt = performance.now();
    await env.primary.cluster.kill('SIGKILL');
    await sleep(faultAt + faultMs - performance.now());
    if (options.restart) await env.primary.cluster.restart();
    const records = await load.stop();
    return { summary: summarizeLoad(records, { faultAt, backup: env.backup.name }), afterCrash: records.filter((record) => record.startedAt >= faultAt) };
  } finally {
    await load.stop();
  }
}
