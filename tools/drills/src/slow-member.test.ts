import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DrillStrategy } from './harness/drill-config.js';
import { startDrillEnvironment, type DrillEnvironment } from './harness/start-drill-environment.js';
import { slowMember, type SlowMemberResult } from './scenarios/slow-member.js';

describe.each<DrillStrategy>(['performance', 'hybrid'])('a slow member under the %s strategy', (strategy) => {
  let env: DrillEnvironment | undefined;
  let result: SlowMemberResult;
  beforeAll(async () => {
    // A generous per-attempt timeout: the slow member must be slow, not failing.
    env = await startDrillEnvironment({ strategy, attemptTimeoutMs: 2000, failureThreshold: 3, cooldownMs: 3000 });
    result = await slowMember(env, { clients: 4, latencyMs: 100, warmupMs: 2000, windowMs: 6000, measureMs: 2000 });
    console.info(`slow ${strategy}: ${JSON.stringify({ ...result, summary: { ...result.summary, errorSamples: undefined } })}`);
  }, 120_000);
  afterAll(() => env?.close(), 60_000);

  it('was serving most of the traffic before it slowed down', () => {
    expect(result.shareBefore).toBeGreaterThanOrEqual(0.5);
  });

  it('loses its traffic to the other member within 6 s of the slowdown (its last-minute p95 must first reflect the slowdown)', () => {
    expect(result.movedAfterMs).toBeDefined();
    expect(result.shareAfter).toBeLessThan(0.2);
  });

  it('costs the clients no error', () => {
    expect(result.summary.errorSamples).toEqual([]);
  });
});
