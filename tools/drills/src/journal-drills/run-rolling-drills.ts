import { printMinMaxTable } from '../harness/min-max-table.js';
import { rollingDrillFigures, runRollingDrill, type RollingDrillOptions } from './run-rolling-drill.js';
import { startJournalEnvironment } from './start-journal-environment.js';

/** The figures a min–max table shows, by column name. */
const columns = ['requests', 'clientErrors', 'errorsAfterBackupCrash', 'improperRefusals', 'readsFailedAfterBackupCrash', 'acknowledged', 'lostFromPrimaryAlone', 'staleFromPrimaryAlone', 'lostConverged', 'duplicatedConverged', 'ownReadsMissed', 'ownSearchesMissed', 'failoverMs', 'primaryServesAfterMs', 'primaryDrainedAfterMs', 'backupFailoverMs', 'convergeMs'] as const;

/**
 * Runs the rolling-failure drill `runs` times at the shipped defaults, each in a fresh world, prints each
 * run's figures and a min–max table; resolves to whether every run passed: nothing lost, duplicated or
 * stale, no own read or search missed, and, with the issue's timing (the backup dies 15 s after the
 * primary returned), no client error after the backup's crash. With `backupCrashAfterMs` short enough
 * that the primary's breaker is still open when the backup dies (nothing admissible), writes may be
 * refused, but every read after the crash must be served and every refusal must be a 503 with
 * `Retry-After` and a reason.
 */
export async function runRollingDrills(runs: number, options: Pick<RollingDrillOptions, 'backupCrashAfterMs' | 'primaryOutageMs'> = {}): Promise<boolean> {
  const nothingAdmissible = options.backupCrashAfterMs !== undefined && options.backupCrashAfterMs < 15_000;
  const rows: Record<string, unknown>[] = [];
  let passed = true;
  for (let run = 1; run <= runs; run += 1) {
    const env = await startJournalEnvironment({ defaults: true });
    try {
      const result = await runRollingDrill(env, options);
      const figures = rollingDrillFigures(result);
      const afterCrashClean = nothingAdmissible ? result.improperRefusals.length === 0 && result.readsAfterBackupCrash.failed === 0 : result.errorsAfterBackupCrash.length === 0;
      const clean = afterCrashClean && [result.primaryAlone, result.converged].every((check) => check.counts.lost === 0 && check.counts.duplicated === 0 && check.counts.stale === 0) && result.ownReads.missed === 0 && result.ownSearches.missed === 0;
      passed &&= clean;
      console.log(`rolling run ${run}/${runs}${clean ? '' : ' FAILED'}: ${JSON.stringify(figures)}`);
      rows.push({
        ...figures,
        readsFailedAfterBackupCrash: result.readsAfterBackupCrash.failed,
        acknowledged: result.converged.counts.acknowledged,
        lostFromPrimaryAlone: result.primaryAlone.counts.lost,
        staleFromPrimaryAlone: result.primaryAlone.counts.stale,
        lostConverged: result.converged.counts.lost,
        duplicatedConverged: result.converged.counts.duplicated + result.primaryAlone.counts.duplicated,
        ownReadsMissed: result.ownReads.missed,
        ownSearchesMissed: result.ownSearches.missed,
      });
    } catch (error) {
      passed = false;
      console.error(`rolling run ${run}/${runs} failed: ${(error as Error).message}`);
    } finally {
      await env.close();
    }
  }
  printMinMaxTable(`\nrolling failures at the defaults${options.primaryOutageMs === undefined ? '' : `, primary down ${options.primaryOutageMs} ms`}${nothingAdmissible ? `, backup killed ${options.backupCrashAfterMs} ms after the primary returned` : ''}, ${rows.length} of ${runs} runs completed: min – max`, rows, columns);
  return passed;
}
