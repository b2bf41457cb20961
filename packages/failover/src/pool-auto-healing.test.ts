import { afterEach, describe, expect, it } from 'vitest';
import { createHealthMonitor, createManualClock, type HealthMonitor } from '@memgate/health';
import { matchAllFilter } from '@memgate/core';
import { createFailoverPool } from './create-failover-pool.js';
import type { FailoverPool } from './failover-pool.js';
import { faultyMembersOf } from './faulty-provider.test-support.js';
import { down, journaledPoolOf, textsOn } from './journaled-pool.test-support.js';
import { createReplicator, type Replicator } from './replicator.js';

const opened: { pool: FailoverPool; replicator?: Replicator; health: HealthMonitor }[] = [];
afterEach(async () => {
  for (const { pool, replicator, health } of opened.splice(0)) {
    await replicator?.stop();
    await pool.close();
    await health.close();
  }
});

async function until(check: () => boolean | Promise<boolean>, limitMs: number): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > limitMs) throw new Error(`not within ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Date.now() - started;
}

describe('failover pool: auto-healing with the 5-minute cooldown', () => {
  it('returns a member whose probes succeed long before its cooldown ends, and the replicator delivers its backlog then', async () => {
    const health = createHealthMonitor({ onError: () => {} });
    // The shipped cooldown (5 minutes); probes every 600 ms (1 s while failing); early return after 1 s open.
    const { pool, faults, members } = journaledPoolOf(['primary', 'backup'], { health, probeIntervalMs: 600, breaker: { consecutiveFailures: 1, cooldownMs: 300_000, probeRecovery: { minOpenMs: 1000 } } });
    const replicator = createReplicator({ pool, idleMs: 10 });
    opened.push({ pool, replicator, health });
    replicator.start();
    const reasons: string[] = [];
    pool.onBreakerStateChange((member, change) => member === 'primary' && reasons.push(`${change.to}:${change.reason}`));

    faults.primary!.error = down;
    await pool.add([{ userId: 'u', memory: 'during the outage' }]);
    expect(pool.statistics().members[0]!.breaker).toMatchObject({ state: 'open' });
    expect(pool.statistics().members[0]!.breaker.openUntil! - Date.now()).toBeGreaterThan(290_000);

    faults.primary!.error = undefined;
    const back = await until(() => pool.statistics().members[0]!.breaker.state !== 'open', 10_000);
    expect(back).toBeLessThan(5_000);
    await until(async () => (await textsOn(members.primary!)).includes('during the outage'), 5_000);
    expect(reasons).toEqual(['open:consecutive-failures', 'half-open:probes-succeeded', 'closed:trial-succeeded']);
  });

  it('keeps a member that still fails its probes out for the whole cooldown', async () => {
    const health = createHealthMonitor({ onError: () => {} });
    const { pool, faults } = journaledPoolOf(['primary', 'backup'], { health, probeIntervalMs: 600, breaker: { consecutiveFailures: 1, cooldownMs: 300_000, probeRecovery: { minOpenMs: 500 } } });
    opened.push({ pool, health });
    faults.primary!.error = down;
    await pool.add([{ userId: 'u', memory: 'x' }]);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(pool.statistics().members[0]!.breaker).toMatchObject({ state: 'open', lastReason: 'consecutive-failures' });
  });

  it('asks for probes at the failing cadence while a breaker waits on them: a restarted gateway returns a member it saved open in seconds, not an idle interval', async () => {
    const clock = createManualClock(Date.now());
    const health = createHealthMonitor({ clock, onError: () => {} });
    const savedOpen = { state: 'open' as const, consecutiveFailures: 5, openedAt: clock.now() - 60_000, openUntil: clock.now() + 240_000, lastReason: 'consecutive-failures' as const, trips: 1, reopenStreak: 1 };
    // The shipped probe interval (30 s: 5 s while failing, 60 s while idle) and cooldown, on a manual clock.
    const { providers } = faultyMembersOf(['primary', 'backup']);
    const pool = createFailoverPool({ name: 'pool', providers, health, probeIntervalMs: 30_000, breaker: { cooldownMs: 300_000, now: () => clock.now(), initialStates: { primary: savedOpen } }, onError: () => {} });
    opened.push({ pool, health });
    await clock.advance(1); // the first probe succeeds
    expect(pool.statistics().members[0]!.breaker.state).toBe('open');
    await clock.advance(5_000); // the second comes at the failing cadence, since the breaker waits on it
    expect(pool.statistics().members[0]!.breaker.state).toBe('half-open');
    await pool.list(matchAllFilter, { page: 1, pageSize: 1 }); // the trial
    expect(pool.statistics().members[0]!.breaker.state).toBe('closed');
  });
});
