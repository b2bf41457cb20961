import { printMinMaxTable } from '../harness/min-max-table.js';
import { runSoak, soakFigures, type SoakResult } from './run-soak.js';
import { startJournalEnvironment } from './start-journal-environment.js';

/** Options of {@link runSoaks}. */
export interface SoakRunsOptions {
  readonly runs: number;
  /** Length of each run's load, in milliseconds. */
  readonly durationMs: number;
  /** The same seed for every run (a replay); else each run draws its own, printed. */
  readonly seed?: number;
  /** Gap between faults, drawn uniformly (ms). Default: runSoak's, 20,000–60,000. */
  readonly faultEveryMs?: readonly [number, number];
}

/** Whether a soak found nothing wrong: the issue's targets (0 lost, duplicated, stale, resurrected; 0 errors outside gateway restarts; RSS within 10 %). */
export function soakClean(result: SoakResult): boolean {
  const counts = result.check.counts;
  const deletedReadable = result.finalReads.some((read) => read.deletedReadable.length > 0);
  return counts.lost === 0 && counts.duplicated === 0 && counts.stale === 0 && counts.resurrected === 0 && counts.unexpected === 0 && !deletedReadable && result.ownReads.missed === 0 && result.ownSearches.missed === 0 && result.errorsOutsideGatewayRestarts.length === 0 && (result.rss === null || result.rss.growth <= 0.1);
}

const columns = ['requests', 'faults', 'acknowledged', 'updates', 'drainSeconds', 'lost', 'duplicated', 'stale', 'resurrected', 'deletedReadable', 'ownReadsMissed', 'ownSearchesMissed', 'errorsOutsideGatewayRestarts', 'rssGrowthPercent'] as const;

/**
 * Runs the chaos soak `runs` times at the shipped defaults, each in a fresh world (two clusters, a
 * state database, a gateway; the mem0 wire server as a third member), prints each run's seed and
 * schedule as it starts, its figures as one JSON
 * line, and a min–max table; resolves to whether every run was clean ({@link soakClean}).
 */
export async function runSoaks(options: SoakRunsOptions): Promise<boolean> {
  const rows: Record<string, unknown>[] = [];
  const failedSeeds: number[] = [];
  for (let run = 1; run <= options.runs; run += 1) {
    const env = await startJournalEnvironment({ defaults: true, withMem0Member: true });
    let seed = options.seed;
    try {
      const result = await runSoak(env, {
        durationMs: options.durationMs,
        ...(options.faultEveryMs ? { faultEveryMs: options.faultEveryMs } : {}),
        ...(options.seed === undefined ? {} : { seed: options.seed }),
        onPlan: (plan) => {
          seed = plan.seed;
          console.log(`soak run ${run}/${options.runs}: seed ${plan.seed}; schedule: ${plan.schedule.map((fault) => `${fault.plannedAtMs}ms ${fault.kind} ${fault.target} ${fault.lastsMs}ms`).join(', ')}`);
        },
        onFault: (fault) => console.log(`  fault: ${JSON.stringify(fault)}`),
      });
      const figures = soakFigures(result);
      const clean = soakClean(result);
      if (!clean) failedSeeds.push(result.seed);
      console.log(`soak run ${run}/${options.runs}${clean ? '' : ' FAILED'}: ${JSON.stringify(figures)}`);
      rows.push({
        requests: result.requests,
        faults: result.faults.length,
        ...result.check.counts,
        updates: result.updates,
        drainSeconds: Math.round(result.drainMs / 100) / 10,
        deletedReadable: figures.deletedReadable,
        ownReadsMissed: result.ownReads.missed,
        ownSearchesMissed: result.ownSearches.missed,
        errorsOutsideGatewayRestarts: result.errorsOutsideGatewayRestarts.length,
        rssGrowthPercent: result.rss ? Math.round(result.rss.growth * 1000) / 10 : undefined,
      });
    } catch (error) {
      if (seed !== undefined) failedSeeds.push(seed);
      console.error(`soak run ${run}/${options.runs} (seed ${seed}) failed: ${(error as Error).message}\n--- gateway output ends with ---\n${env.gateway().output().slice(-2000)}`);
    } finally {
      await env.close();
    }
  }
  printMinMaxTable(`\nchaos soak at the defaults, ${Math.round(options.durationMs / 60_000)} min each, ${rows.length} of ${options.runs} runs completed: min – max`, rows, columns);
  if (failedSeeds.length > 0) console.log(`seeds of the runs that failed (replay with --seed): ${failedSeeds.join(', ')}`);
  return failedSeeds.length === 0 && rows.length === options.runs;
}
