import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journalDrillFigures } from './journal-drills/journal-drill-figures.js';
import { runJournalDrill, type JournalDrillResult } from './journal-drills/run-journal-drill.js';
import { startJournalEnvironment, type JournalEnvironment } from './journal-drills/start-journal-environment.js';

const outageMs = Number(process.env.MEMGATE_DRILL_OUTAGE_MS ?? 8000);

let env: JournalEnvironment | undefined;
let result: JournalDrillResult;
beforeAll(async () => {
  env = await startJournalEnvironment();
  // Clients ride out the gateway's restart by retrying each write with its Idempotency-Key (30 s).
  // The dead gateway's claims are leased for 30 s, so convergence takes that long at least.
  result = await runJournalDrill(env, { clients: 4, warmupMs: 1500, outageMs, afterMs: 3000, killGateway: true, convergeTimeoutMs: 90_000 }).catch((error: Error) => {
    throw new Error(`${error.message}\n--- gateway (exit ${env!.gateway().exit()}) output ends with ---\n${env!.gateway().output().slice(-3000)}`);
  });
  console.info(`journal gateway-crash: ${JSON.stringify(journalDrillFigures(result))}`);
}, 240_000);
afterAll(() => env?.close(), 60_000);

describe('a gateway SIGKILLed in the middle of a replay and restarted (journal drill)', () => {
  it('was killed with entries still undelivered', () => {
    expect(result.gatewayCrash!.backlogAtKill).toBeGreaterThan(0);
  });

  it('resumes the replay: every backlog drains, and the restarted gateway keeps running', () => {
    expect(result.convergeMs).toBeLessThan(90_000);
    expect(env!.gateway().exit(), `the gateway exited; its output ends with:\n${env!.gateway().output().slice(-2500)}`).toBeUndefined();
  });

  it('loses and duplicates none of the acknowledged writes (retries reuse their Idempotency-Key), on either member alone', () => {
    expect(result.acknowledgedAdds).toBeGreaterThan(50);
    expect(result.check.counts, JSON.stringify(result.faults.slice(0, 10))).toMatchObject({ lost: 0, duplicated: 0, stale: 0, unexpected: 0, indeterminate: 0 });
  });

  it('costs the clients no error outside the gateway restart itself', () => {
    expect(result.errorSamples).toEqual([]);
    expect(result.ownReads.samples).toEqual([]);
  });
});
