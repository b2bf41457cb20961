import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSoak, soakFigures, type SoakResult } from './journal-drills/run-soak.js';
import { startJournalEnvironment, type JournalEnvironment } from './journal-drills/start-journal-environment.js';

// The 2-minute version of `pnpm drill soak` (10 minutes), at the shipped defaults, over two PostgreSQL
// clusters and the testkit's mem0 wire server, with updates in the load. CI runs one fixed schedule, seed 13
// (a blackhole, a SIGKILL of each PostgreSQL member and a gateway SIGKILL; with three members it draws
// the same members as it did with two, so it faults no mem0 member), so a red run is a
// regression, not an unlucky draw; MEMGATE_SOAK_SEED runs another. Seed 1752013131 (latency on the
// backup, resets on the primary, a blackholed backup, then a SIGKILLed primary) still fails: about 300
// client errors from the primary's SIGKILL to the end of the run, and once one lost write (issue 11 note).
const seed = Number(process.env.MEMGATE_SOAK_SEED ?? 13);

let env: JournalEnvironment | undefined;
let result: SoakResult;
beforeAll(async () => {
  env = await startJournalEnvironment({ defaults: true, withMem0Member: true });
  result = await runSoak(env, { durationMs: 120_000, faultEveryMs: [15_000, 25_000], seed, onPlan: (plan) => console.info(`soak seed ${plan.seed}; schedule: ${plan.schedule.map((fault) => `${fault.plannedAtMs}ms ${fault.kind} ${fault.target} ${fault.lastsMs}ms`).join(', ')}`), onFault: (fault) => console.info(`soak fault: ${JSON.stringify(fault)}`) }).catch((error: Error) => {
    throw new Error(`${error.message}\n--- gateway (exit ${env!.gateway().exit()}) output ends with ---\n${env!.gateway().output().slice(-3000)}`);
  });
  console.info(`chaos soak (2 min, defaults): ${JSON.stringify(soakFigures(result))}`);
}, 330_000);
afterAll(() => env?.close(), 60_000);

describe('a 2-minute chaos soak at the shipped defaults: random faults on members and the gateway under mixed load', () => {
  it('made faults, and the history checker finds nothing lost, duplicated, stale or resurrected', () => {
    expect(result.faults.length, `seed ${result.seed}`).toBeGreaterThanOrEqual(3);
    expect(result.check.counts.acknowledged).toBeGreaterThan(100);
    expect(result.check.counts, `seed ${result.seed}`).toMatchObject({ lost: 0, duplicated: 0, stale: 0, resurrected: 0, unexpected: 0 });
    for (const read of result.finalReads) expect(read.deletedReadable).toEqual([]);
  });

  it('shows every client its own writes, by id and by search', () => {
    expect(result.ownReads.samples, `seed ${result.seed}`).toEqual([]);
    expect(result.ownSearches.samples, `seed ${result.seed}`).toEqual([]);
  });

  it('costs the clients no error outside the gateway\'s own restarts', () => {
    expect(result.errorsOutsideGatewayRestarts.map((record) => `${record.status} ${record.error}`), `seed ${result.seed}`).toEqual([]);
  });
});
