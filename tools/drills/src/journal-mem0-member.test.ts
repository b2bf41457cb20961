import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journalDrillFigures } from './journal-drills/journal-drill-figures.js';
import { runJournalDrill, type JournalDrillResult } from './journal-drills/run-journal-drill.js';
import { startJournalEnvironment, type JournalEnvironment } from './journal-drills/start-journal-environment.js';

const outageMs = Number(process.env.MEMGATE_DRILL_OUTAGE_MS ?? 8000);

let env: JournalEnvironment | undefined;
let result: JournalDrillResult;
beforeAll(async () => {
  // The primary is the testkit's mem0 wire server (Platform mode) with asynchronous adds: every add answers
  // PENDING and the provider polls the event; the outage is its proxy refusing connections.
  env = await startJournalEnvironment({ primaryKind: 'mem0' });
  result = await runJournalDrill(env, { clients: 4, warmupMs: 1500, outageMs, afterMs: 2000, deletes: true }).catch((error: Error) => {
    throw new Error(`${error.message}\n--- gateway (exit ${env!.gateway().exit()}) output ends with ---\n${env!.gateway().output().slice(-3000)}`);
  });
  console.info(`journal mem0-member: ${JSON.stringify(journalDrillFigures(result))}`);
}, 180_000);
afterAll(() => env?.close(), 60_000);

describe('a mem0 member (asynchronous adds) down beside a PostgreSQL member, replayed when it returns (journal drill)', () => {
  it('costs the clients no error, and the gateway keeps running', () => {
    expect(env!.gateway().exit(), `the gateway exited; its output ends with:\n${env!.gateway().output().slice(-2500)}`).toBeUndefined();
    expect(result.errorSamples).toEqual([]);
  });

  it('loses, duplicates, hides and resurrects none of the acknowledged writes, on either member alone', () => {
    expect(result.acknowledgedAdds).toBeGreaterThan(30);
    expect(result.check.counts, JSON.stringify(result.faults.slice(0, 10))).toMatchObject({ lost: 0, duplicated: 0, stale: 0, resurrected: 0, unexpected: 0 });
    for (const read of result.finalReads) expect(read.deletedReadable, `${read.member} still serves deleted memories`).toEqual([]);
    expect(result.ownReads.samples).toEqual([]);
  });

  it('replayed the outage backlog into mem0, and the final reads were served by the member read', () => {
    expect(result.backlogPeak).toBeGreaterThan(20);
    for (const read of result.finalReads) expect(read.servedBy).toEqual([read.member]);
  });
});
