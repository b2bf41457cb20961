import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDrillEnvironment, type DrillEnvironment } from './harness/start-drill-environment.js';
import { blackholePrimary, type BlackholePrimaryResult } from './scenarios/blackhole-primary.js';

// The shipped defaults: a 5 s provider timeout, 5 failures to trip, a 5-minute cooldown, probes every
// 30 s (every 5 s once requests fail). The short version of this drill is blackhole-primary.test.ts.
const timeoutMs = 5000;
const clients = 4;

let env: DrillEnvironment | undefined;
let result: BlackholePrimaryResult;
beforeAll(async () => {
  env = await startDrillEnvironment({ defaults: true });
  // The clients wait longer than one provider timeout plus the fallback, as an agent's client would.
  result = await blackholePrimary(env, { clients, warmupMs: 1500, faultMs: 15_000, recoveryTimeoutMs: 40_000, requestTimeoutMs: 15_000, openTimeoutMs: 30_000, requireBreakerOpen: false });
  console.info(`blackhole (defaults): ${JSON.stringify({ ...result.summary, errorSamples: undefined, breakerOpenedAfterMs: result.breakerOpenedAfterMs, failuresBeforeOpen: result.failuresBeforeOpen, recoveredAfterMs: result.recoveredAfterMs, breakerStates: result.breakerStates })}`);
}, 150_000);
afterAll(() => env?.close(), 60_000);

describe('a blackholed primary at the shipped defaults', () => {
  it('costs the clients no error, and no read waits for the provider timeout: a read the primary does not answer is hedged to the backup within a second', () => {
    expect(env!.gateway.exit()).toBeUndefined();
    expect(result.summary.errorSamples).toEqual([]);
    // The load is searches; the hedge delay is adaptive (4 × the primary's p99, 100–1000 ms), not the 5 s timeout.
    expect(result.summary.failoverMs).toBeLessThan(1000);
    expect(result.summary.duringFault.maxMs).toBeLessThan(1500);
    expect(result.summary.servedBy[env!.backup.name]).toBeGreaterThan(0);
  });

  it('isolates the primary within two provider timeouts, so later requests no longer wait for it', () => {
    expect(result.breakerOpenedAfterMs).toBeLessThan(timeoutMs * 2 + 1000);
  });

  it('returns the primary once healed through its probes, long before the 5-minute cooldown', () => {
    expect(result.breakerStates.at(-1) ?? 'closed').toBe('closed');
    expect(result.recoveredAfterMs).toBeLessThan(30_000);
    expect(result.primaryShareAfterRecovery).toBeGreaterThan(0.9);
  });
});
