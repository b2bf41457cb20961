import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJournalDrill, type JournalDrillResult } from './journal-drills/run-journal-drill.js';
import { startJournalEnvironment, type JournalEnvironment } from './journal-drills/start-journal-environment.js';
import { journalDrillFigures } from './journal-drills/journal-drill-figures.js';

// The drill keeps the primary down 20 s; CI uses 8 s (MEMGATE_DRILL_OUTAGE_MS to change it).
const outageMs = Number(process.env.MEMGATE_DRILL_OUTAGE_MS ?? 8000);

let env: JournalEnvironment | undefined;
let result: JournalDrillResult;
beforeAll(async () => {
  env = await startJournalEnvironment();
  result = await runJournalDrill(env, { clients: 4, warmupMs: 1500, outageMs, afterMs: 2000 }).catch((error: Error) => {
    throw new Error(`${error.message}\n--- gateway (exit ${env!.gateway().exit()}) output ends with ---\n${env!.gateway().output().slice(-3000)}`);
  });
  console.info(`journal sigkill-primary: ${JSON.stringify(journalDrillFigures(result))}`);
}, 180_000);
afterAll(() => env?.close(), 60_000);

describe('writes during a SIGKILLed primary, replayed when it returns (journal drill)', () => {
  it('costs the clients no error, and the gateway keeps running', () => {
    expect(env!.gateway().exit(), `the gateway exited; its output ends with:\n${env!.gateway().output().slice(-2500)}`).toBeUndefined();
    expect(result.summary.errorSamples).toEqual([]);
    expect(result.summary.failoverMs).toBeDefined();
  });

  it('loses, duplicates and hides none of the acknowledged writes, on either member alone', () => {
    expect(result.acknowledgedAdds).toBeGreaterThan(50);
    expect(result.check.counts, JSON.stringify(result.faults.slice(0, 10))).toMatchObject({ lost: 0, duplicated: 0, stale: 0, resurrected: 0, unexpected: 0 });
  });

  it("shows every client its own writes when it reads them by id", () => {
    expect(result.ownReads.seen).toBeGreaterThan(20);
    expect(result.ownReads.samples).toEqual([]);
  });

  it('read each member alone through the gateway: the final reads were served by that member', () => {
    for (const read of result.finalReads) expect(read.servedBy).toEqual([read.member]);
  });

  it('built a backlog for the primary while it was down and drained it after it returned', () => {
    expect(result.backlogPeak).toBeGreaterThan(20);
    expect(result.convergeMs).toBeLessThan(60_000);
  });
});
