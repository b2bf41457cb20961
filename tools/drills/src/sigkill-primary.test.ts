import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDrillEnvironment, type DrillEnvironment } from './harness/start-drill-environment.js';
import { sigkillPrimary, type SigkillPrimaryResult } from './scenarios/sigkill-primary.js';

let env: DrillEnvironment | undefined;
let result: SigkillPrimaryResult;
beforeAll(async () => {
  env = await startDrillEnvironment({ attemptTimeoutMs: 300, failureThreshold: 3, cooldownMs: 3000 });
  result = await sigkillPrimary(env, { clients: 4, writeRatio: 0.5, warmupMs: 1500, faultMs: 4000 });
  console.info(`sigkill: ${JSON.stringify({ ...result.summary, errorSamples: undefined })}`);
}, 120_000);
afterAll(() => env?.close(), 60_000);

describe('a SIGKILLed primary under mixed reads and writes', () => {
  it('costs the clients no error, and the gateway keeps running', () => {
    expect(env!.gateway.exit(), `the gateway exited; its output ends with:\n${env!.gateway.output().slice(-2500)}`).toBeUndefined();
    expect(result.summary.errorSamples).toEqual([]);
  });

  it('keeps acknowledging writes with 200 on the backup', () => {
    const writes = result.afterCrash.filter((record) => record.op === 'write');
    expect(writes.length).toBeGreaterThan(10);
    expect(writes.every((record) => record.status === 200)).toBe(true);
    expect(writes.filter((record) => record.provider === env!.backup.name).length).toBeGreaterThan(writes.length / 2);
  });

  it('keeps answering reads from the backup', () => {
    const reads = result.afterCrash.filter((record) => record.op === 'read');
    expect(reads.length).toBeGreaterThan(10);
    expect(reads.every((record) => record.status === 200)).toBe(true);
    expect(reads.filter((record) => record.provider === env!.backup.name).length).toBeGreaterThan(reads.length / 2);
  });
});
