import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journalDrillFigures } from './journal-drills/journal-drill-figures.js';
import { runJournalDrill, type JournalDrillResult } from './journal-drills/run-journal-drill.js';
import { startJournalEnvironment, type JournalEnvironment } from './journal-drills/start-journal-environment.js';

// journal-sigkill-primary.test.ts at the shipped defaults: write quorum 1, a 5-minute cooldown, probes
// every 30 s (5 s once requests fail). The primary must come back through its probes, not the cooldown.
let env: JournalEnvironment | undefined;
let result: JournalDrillResult;
beforeAll(async () => {
  env = await startJournalEnvironment({ defaults: true });
  result = await runJournalDrill(env, { clients: 4, warmupMs: 1500, outageMs: 8000, afterMs: 2000 }).catch((error: Error) => {
    throw new Error(`${error.message}\n--- gateway (exit ${env!.gateway().exit()}) output ends with ---\n${env!.gateway().output().slice(-3000)}`);
  });
  console.info(`journal sigkill-primary (defaults): ${JSON.stringify(journalDrillFigures(result))}`);
}, 180_000);
afterAll(() => env?.close(), 60_000);

describe('a SIGKILLed primary at the shipped defaults (journal drill)', () => {
  it('costs the clients no error, and shows each its own writes', () => {
    expect(env!.gateway().exit()).toBeUndefined();
    expect(result.summary.errorSamples).toEqual([]);
    expect(result.ownReads.samples).toEqual([]);
  });

  it('loses, duplicates and hides none of the acknowledged writes, on either member alone', () => {
    expect(result.acknowledgedAdds).toBeGreaterThan(50);
    expect(result.check.counts).toMatchObject({ lost: 0, duplicated: 0, stale: 0, resurrected: 0, unexpected: 0 });
  });

  it('replays the backlog to the returned primary within seconds, not after the 5-minute cooldown', () => {
    expect(result.backlogPeak).toBeGreaterThan(20);
    expect(result.replayStartedAfterMs).toBeLessThan(20_000);
    expect(result.convergeMs).toBeLessThan(40_000);
  });
});
