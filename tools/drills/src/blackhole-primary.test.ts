import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDrillEnvironment, type DrillEnvironment } from './harness/start-drill-environment.js';
import { blackholePrimary, type BlackholePrimaryResult } from './scenarios/blackhole-primary.js';

const attemptTimeoutMs = 300;
const failureThreshold = 3;
const cooldownMs = 3000;
const clients = 4;

let env: DrillEnvironment | undefined;
let result: BlackholePrimaryResult;
beforeAll(async () => {
  env = await startDrillEnvironment({ attemptTimeoutMs, failureThreshold, cooldownMs });
  result = await blackholePrimary(env, { clients, warmupMs: 1500, faultMs: 4000 });
  console.info(`blackhole: ${JSON.stringify({ ...result.summary, errorSamples: undefined, breakerOpenedAfterMs: result.breakerOpenedAfterMs, failuresBeforeOpen: result.failuresBeforeOpen, recoveredAfterMs: result.recoveredAfterMs, breakerStates: result.breakerStates })}`);
}, 120_000);
afterAll(() => env?.close(), 60_000);

describe('a blackholed primary under steady read load', () => {
  it('costs the clients no error, and the gateway keeps running', () => {
    expect(env!.gateway.exit(), `the gateway exited; its output ends with:\n${env!.gateway.output().slice(-2500)}`).toBeUndefined();
    expect(result.summary.errorSamples).toEqual([]);
    expect(result.summary.duringFault.requests).toBeGreaterThan(10);
  });

  // No request waits for more than one attempt timeout: it is cut at 300 ms and served by the backup,
  // so it ends before a second timeout could (600 ms). The fallback itself is not instant: the decision
  // history of a run on 2026-12-05 showed the four requests in flight at the fault spending 302-354 ms on
  // the primary (timers late under the burst) and 87-103 ms on the backup (new connections: only the
  // probes keep its pool warm), 391-457 ms in all; a later fallback took 300 + 2 ms. An earlier bound of
  // timeout + 100 ms failed on the landed code (c8dd443) in 2 runs of 3 that day.
  it('keeps every request during the fault under two attempt timeouts (one timeout plus the fallback)', () => {
    expect(result.summary.duringFault.maxMs).toBeLessThan(attemptTimeoutMs * 2);
  });

  it('is served by the backup during the fault', () => {
    expect(result.summary.failoverMs).toBeDefined();
    expect(result.summary.servedBy[env!.backup.name]).toBeGreaterThan(0);
  });

  it('opens the breaker within its trip count (plus the calls already in flight when it tripped)', () => {
    expect(result.breakerStates[0]).toBe('open');
    expect(result.failuresBeforeOpen).toBeGreaterThanOrEqual(failureThreshold);
    expect(result.failuresBeforeOpen).toBeLessThanOrEqual(failureThreshold + clients - 1);
  });

  it('closes the breaker with a half-open trial once healed, and traffic returns to the primary', () => {
    expect(result.breakerStates.at(-1)).toBe('closed');
    expect(result.recoveredAfterMs).toBeLessThan(cooldownMs + 2000);
    expect(result.primaryShareAfterRecovery).toBeGreaterThan(0.9);
  });
});
