import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDrillEnvironment, type DrillEnvironment } from './harness/start-drill-environment.js';
import { flappingPrimary, type FlappingPrimaryResult } from './scenarios/flapping-primary.js';

const cooldownMs = 3000;
// The drill flaps for 30 s; CI flaps for 12 s (MEMGATE_DRILL_FLAP_MS to change it).
const durationMs = Number(process.env.MEMGATE_DRILL_FLAP_MS ?? 12_000);
// The breaker is polled every 50 ms: an observed open period can look shorter by about one poll.
const pollSlackMs = 150;

let env: DrillEnvironment | undefined;
let result: FlappingPrimaryResult;
beforeAll(async () => {
  env = await startDrillEnvironment({ attemptTimeoutMs: 300, failureThreshold: 3, cooldownMs });
  result = await flappingPrimary(env, { clients: 4, downMs: 2000, upMs: 2000, durationMs });
  console.info(`flapping: ${JSON.stringify({ ...result.summary, errorSamples: undefined, trips: result.trips, shortestOpenMs: result.shortestOpenMs, states: result.breakerChanges.map((change) => change.state) })}`);
}, durationMs + 120_000);
afterAll(() => env?.close(), 60_000);

describe('a flapping primary (down 2 s, up 2 s)', () => {
  it('costs the clients no error, and the gateway keeps running', () => {
    expect(env!.gateway.exit(), `the gateway exited; its output ends with:\n${env!.gateway.output().slice(-2500)}`).toBeUndefined();
    expect(result.summary.errorSamples).toEqual([]);
    expect(result.summary.requests).toBeGreaterThan(50);
  });

  it('opens its breaker, but never leaves open sooner than the cooldown', () => {
    expect(result.trips).toBeGreaterThanOrEqual(1);
    expect(result.shortestOpenMs).toBeGreaterThanOrEqual(cooldownMs - pollSlackMs);
  });

  it('trips no more often than once per cooldown', () => {
    expect(result.trips).toBeLessThanOrEqual(Math.ceil(result.durationMs / cooldownMs));
  });
});
