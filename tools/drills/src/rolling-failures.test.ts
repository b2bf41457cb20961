import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rollingDrillFigures, runRollingDrill, type RollingDrillResult } from './journal-drills/run-rolling-drill.js';
import { startJournalEnvironment, type JournalEnvironment } from './journal-drills/start-journal-environment.js';

/**
 * The rolling failure, at the shipped defaults (5 s timeouts, probes every 30 s and every 5 s
 * while failing, 5 failures to trip, a 5-minute cooldown, write quorum 1): the primary is SIGKILLed under
 * load and restarted 12 s later, the backup is SIGKILLed 15 s after that. Only auto-healing (probes
 * returning the primary before its cooldown ends) lets the primary serve in that window.
 */
let env: JournalEnvironment | undefined;
let result: RollingDrillResult;
beforeAll(async () => {
  env = await startJournalEnvironment({ defaults: true });
  result = await runRollingDrill(env).catch((error: Error) => {
    throw new Error(`${error.message}\n--- gateway (exit ${env!.gateway().exit()}) output ends with ---\n${env!.gateway().output().slice(-3000)}`);
  });
  console.info(`rolling failures (defaults): ${JSON.stringify(rollingDrillFigures(result))}`);
}, 240_000);
afterAll(() => env?.close(), 60_000);

describe('rolling failures at the shipped defaults: primary killed and restarted, then the backup killed', () => {
  it('costs the clients no error once the backup is dead, beyond the requests in flight at that instant', () => {
    expect(env!.gateway().exit()).toBeUndefined();
    expect(result.errorsAfterBackupCrash.map((record) => `${record.status} ${record.error}`)).toEqual([]);
    expect(result.backupFailoverMs).toBeDefined();
  });

  it('returns the restarted primary long before the 5-minute cooldown: it serves again and its backlog drains within the 15 s before the backup dies', () => {
    expect(result.primaryServesAfterMs).toBeLessThan(15_000);
    expect(result.primaryDrainedAfterMs).toBeLessThan(15_000);
  });

  it('serves every acknowledged write through the gateway from the primary alone while the backup is down', () => {
    expect(result.primaryAlone.counts.acknowledged).toBeGreaterThan(50);
    expect(result.primaryAlone.counts).toMatchObject({ lost: 0, duplicated: 0, stale: 0, unexpected: 0 });
  });

  it('converges both members once the backup returns: nothing lost, duplicated or resurrected on either', () => {
    expect(result.converged.counts).toMatchObject({ lost: 0, duplicated: 0, stale: 0, resurrected: 0, unexpected: 0 });
    for (const read of result.finalReads) expect(read.servedBy).toEqual([read.member]);
  });

  it('shows every client its own latest write, by id and by search, throughout', () => {
    expect(result.ownReads.samples).toEqual([]);
    expect(result.ownSearches.samples).toEqual([]);
    expect(result.ownSearches.seen).toBeGreaterThan(10);
  });
});
