import { printMinMaxTable } from '../harness/min-max-table.js';
import { rollingDrillFigures, runRollingDrill } from './run-rolling-drill.js';
import { startJournalEnvironment } from './start-journal-environment.js';

/** The figures a min–max table shows, by column name. */
const columns = ['requests', 'clientErrors', 'errorsAfterBackupCrash', 'acknowledged', 'lostFromPrimaryAlone', 'staleFromPrimaryAlone', 'lostConverged', 'duplicatedConverged', 'ownReadsMissed', 'ownSearchesMissed', 'failoverMs', 'primaryServesAfterMs', 'primaryDrainedAfterMs', 'backupFailoverMs', 'convergeMs'] as const;

/**
 * Runs the rolling-failure drill `runs` times at the shipped defaults, each in a fresh world, prints each
 * run's figures and a min–max table; resolves to whether every run passed (no error after the backup's
 * crash, nothing lost, duplicated or stale, no own read or search missed).
 */
export async function runRollingDrills(runs: number): Promise<boolean> {
  const rows: Record<string, unknown>[] = [];
  let passed = true;
  for (let run = 1; run <= runs; run += 1) {
    const env = await startJournalEnvironment({ defaults: true });
    try {
      const result = await runRollingDrill(env);
      const figures = rollingDrillFigures(result);
      const clean = result.errorsAfterBackupCrash.length === 0 && [result.primaryAlone, result.converged].every((check) => check.counts.lost === 0 && check.counts.duplicated === 0 && check.counts.stale === 0) && result.ownReads.missed === 0 && result.ownSearches.missed === 0;
      passed &&= clean;
      console.log(`rolling run ${run}/${runs}${clean ? '' : ' FAILED'}: ${JSON.stringify(figures)}`);
      rows.push({
        ...figures,
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
  printMinMaxTable(`\nrolling failures at the defaults, ${rows.length} of ${runs} runs completed: min – max`, rows, columns);
  return passed;
}
