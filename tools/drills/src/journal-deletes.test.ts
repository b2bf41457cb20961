import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journalDrillFigures } from './journal-drills/journal-drill-figures.js';
import { runJournalDrill, type JournalDrillResult } from './journal-drills/run-journal-drill.js';
import { startJournalEnvironment, type JournalEnvironment } from './journal-drills/start-journal-environment.js';

const outageMs = Number(process.env.MEMGATE_DRILL_OUTAGE_MS ?? 8000);

let env: JournalEnvironment | undefined;
let result: JournalDrillResult;
beforeAll(async () => {
  env = await startJournalEnvironment();
  result = await runJournalDrill(env, { clients: 4, warmupMs: 1500, outageMs, afterMs: 2000, deletes: true }).catch((error: Error) => {
    throw new Error(`${error.message}\n--- gateway (exit ${env!.gateway().exit()}) output ends with ---\n${env!.gateway().output().slice(-3000)}`);
  });
  console.info(`journal deletes: ${JSON.stringify(journalDrillFigures(result))}`);
}, 180_000);
afterAll(() => env?.close(), 60_000);

describe('deletes while the primary is down, replayed as tombstones when it returns (journal drill)', () => {
  it('acknowledged deletes during the outage', () => {
    expect(result.deletesDuringOutage).toBeGreaterThan(10);
  });

  it('leaves none of the deleted memories readable from either member alone, by listing or by id', () => {
    expect(result.check.counts.resurrected, JSON.stringify(result.faults.slice(0, 10))).toBe(0);
    expect(result.check.counts.deleted).toBe(result.acknowledgedDeletes);
    for (const read of result.finalReads) expect(read.deletedReadable, `${read.member} still serves deleted memories`).toEqual([]);
  });

  it('loses, duplicates and hides none of the writes that were not deleted', () => {
    expect(result.check.counts, JSON.stringify(result.faults.slice(0, 10))).toMatchObject({ lost: 0, duplicated: 0, stale: 0, unexpected: 0 });
    expect(result.ownReads.samples).toEqual([]);
  });

  it('costs the clients no error, and the gateway keeps running', () => {
    expect(env!.gateway().exit(), `the gateway exited; its output ends with:\n${env!.gateway().output().slice(-2500)}`).toBeUndefined();
    expect(result.errorSamples).toEqual([]);
  });
});
