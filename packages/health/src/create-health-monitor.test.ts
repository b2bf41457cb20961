import { AuthError, NotFoundError, ProviderTimeoutError, ProviderUnavailableError, RateLimitedError } from '@memgate/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createHealthMonitor } from './create-health-monitor.js';
import type { HealthAlert } from './health-alert.js';
import type { HealthMonitor } from './health-monitor.js';
import { createInMemoryHealthTrendStore } from './health-trend-store.js';
import { createManualClock } from './manual-clock.js';

const hour = 3_600_000;
const down = (): ProviderUnavailableError => new ProviderUnavailableError({ message: 'connection refused' });
const monitors: HealthMonitor[] = [];
const track = (monitor: HealthMonitor): HealthMonitor => (monitors.push(monitor), monitor);
afterEach(async () => {
  await Promise.all(monitors.splice(0).map((monitor) => monitor.close()));
});

describe('createHealthMonitor: passive observations', () => {
  it('reports volume, success rate, latency quantiles and consecutive failures per window', async () => {
    const clock = createManualClock();
    const monitor = track(createHealthMonitor({ clock, onError: () => {} }));
    for (let index = 1; index <= 100; index += 1) monitor.observe('pg', { latencyMs: index });
    monitor.observe('pg', { latencyMs: 5000, error: new ProviderTimeoutError({ message: 'slow' }) });
    // Counts are live; quantiles are recomputed at most once per snapshotMaxAgeMs (1 s).
    expect(monitor.snapshot('pg')!.windows['1m'].volume).toBe(101);
    await clock.advance(1000);
    const pg = monitor.snapshot('pg')!;
    expect(pg.windows['1m']).toMatchObject({ volume: 101, successes: 100, failures: 1 });
    expect(pg.windows['1m'].successRate).toBeCloseTo(100 / 101, 6);
    expect(pg.windows['5m'].latencyMs!.p50).toBeGreaterThanOrEqual(49);
    expect(pg.windows['5m'].latencyMs!.p50).toBeLessThanOrEqual(51);
    expect(pg.windows['1h'].latencyMs!.p99).toBeGreaterThanOrEqual(98);
    expect(pg.consecutiveFailures).toBe(1);
    expect(pg.lastError).toMatchObject({ name: 'Memory_ProviderTimeoutError', message: 'slow' });
    expect(monitor.snapshot().providers).toHaveProperty('pg');
    expect(monitor.snapshot('nobody')).toBeUndefined();
  });

  it('marks a provider down after consecutive failures and ranks it unhealthy at once', () => {
    const clock = createManualClock();
    const monitor = track(createHealthMonitor({ clock, onError: () => {} }));
    for (let index = 0; index < 50; index += 1) monitor.observe('pg', { latencyMs: 5 });
    for (let index = 0; index < 3; index += 1) monitor.observe('pg', { error: down() });
    const pg = monitor.snapshot('pg')!;
    expect([pg.up, pg.status, pg.score]).toEqual([false, 'unhealthy', 0.2]);
    monitor.observe('pg', { latencyMs: 5 });
    expect(monitor.snapshot('pg')!.up).toBe(true);
  });

  it('computes uptime from the time spent down over the last hour', async () => {
    const clock = createManualClock(10 * hour);
    const monitor = track(createHealthMonitor({ clock, downAfterFailures: 1, onError: () => {} }));
    monitor.observe('pg', { latencyMs: 1 });
    await clock.advance(30 * 60_000);
    monitor.observe('pg', { error: down() });
    await clock.advance(15 * 60_000);
    monitor.observe('pg', { latencyMs: 1 });
    await clock.advance(15 * 60_000);
    expect(monitor.snapshot('pg')!.uptime).toBeCloseTo(0.75, 5);
  });

  it('cools a rate-limited provider down for its Retry-After without counting a failure', () => {
    const clock = createManualClock();
    const monitor = track(createHealthMonitor({ clock, onError: () => {} }));
    monitor.observe('mem0', { latencyMs: 3 });
    monitor.observe('mem0', { error: new RateLimitedError({ message: '429', retryAfterMs: 2000 }) });
    const mem0 = monitor.snapshot('mem0')!;
    expect([mem0.coolingDownUntil, mem0.consecutiveFailures, mem0.windows['1m'].volume, mem0.status]).toEqual([clock.now() + 2000, 0, 1, 'degraded']);
  });

  it('counts caller errors for nothing', () => {
    const monitor = track(createHealthMonitor({ clock: createManualClock(), onError: () => {} }));
    monitor.observe('pg', { latencyMs: 3, error: new NotFoundError({ message: 'no such memory' }) });
    const pg = monitor.snapshot('pg')!;
    expect([pg.windows['1m'].volume, pg.consecutiveFailures, pg.status]).toEqual([0, 0, 'unknown']);
  });

  it('alerts on rejected credentials without marking the provider down (no flapping)', async () => {
    const clock = createManualClock();
    const monitor = track(createHealthMonitor({ clock, onError: () => {} }));
    const alerts: HealthAlert[] = [];
    monitor.onAlert((alert) => alerts.push(alert));
    for (let index = 0; index < 5; index += 1) monitor.observe('mem0', { error: new AuthError({ message: 'invalid API key' }) });
    await clock.advance(30);
    expect(alerts.map((alert) => [alert.rule, alert.state])).toEqual([['config-fault', 'firing']]);
    expect(monitor.snapshot('mem0')).toMatchObject({ up: true, consecutiveFailures: 0, configFault: { message: 'invalid API key' } });
    monitor.observe('mem0', { latencyMs: 4 });
    await clock.advance(30);
    expect(alerts.map((alert) => [alert.rule, alert.state])).toEqual([['config-fault', 'firing'], ['config-fault', 'resolved']]);
    expect(alerts[1]!.id).toBe(alerts[0]!.id);
  });
});

describe('createHealthMonitor: alerts', () => {
  it('fires provider-down once however many failures follow, then resolves on recovery', async () => {
    const clock = createManualClock();
    const monitor = track(createHealthMonitor({ clock, onError: () => {} }));
    const alerts: HealthAlert[] = [];
    const subscription = monitor.onAlert((alert) => alerts.push(alert));
    for (let index = 0; index < 10; index += 1) {
      monitor.observe('pg', { error: down() });
      await clock.advance(10);
    }
    expect(alerts.filter((alert) => alert.rule === 'provider-down').map((alert) => alert.state)).toEqual(['firing']);
    expect(monitor.firingAlerts().map((alert) => alert.rule)).toContain('provider-down');
    monitor.observe('pg', { latencyMs: 2 });
    await clock.advance(30);
    expect(alerts.filter((alert) => alert.rule === 'provider-down').map((alert) => alert.state)).toEqual(['firing', 'resolved']);
    subscription.dispose();
    monitor.observe('pg', { error: down() });
    await clock.advance(30);
    expect(alerts).toHaveLength(alerts.length);
  });

  it('fires and resolves a reported condition (a replication backlog) once each, to listeners like any rule', async () => {
    const clock = createManualClock();
    const monitor = track(createHealthMonitor({ clock, onError: () => {} }));
    const alerts: HealthAlert[] = [];
    monitor.onAlert((alert) => alerts.push(alert));
    const backlog = (active: boolean, value: number) => ({ rule: 'replication-backlog' as const, active, severity: 'page' as const, summary: `pg-b: ${value} entries behind`, value, threshold: 100 });
    monitor.reportCondition('pg-b', backlog(true, 120));
    monitor.reportCondition('pg-b', backlog(true, 150));
    expect(monitor.firingAlerts()).toMatchObject([{ rule: 'replication-backlog', provider: 'pg-b', value: 120 }]);
    await clock.advance(10);
    monitor.reportCondition('pg-b', backlog(false, 3));
    expect(alerts.map((alert) => `${alert.rule}:${alert.state}:${alert.value}`)).toEqual(['replication-backlog:firing:120', 'replication-backlog:resolved:3']);
    expect(monitor.firingAlerts()).toEqual([]);
  });

  it('pages on a fast availability burn over both 1 h and 5 min, and resolves when the short window recovers', async () => {
    const clock = createManualClock();
    const monitor = track(createHealthMonitor({ clock, slos: { pg: { availability: 0.99 } }, onError: () => {} }));
    const alerts: HealthAlert[] = [];
    monitor.onAlert((alert) => alerts.push(alert));
    // 20 % errors against a 1 % budget: burn rate 20 > 14.4.
    for (let index = 0; index < 100; index += 1) {
      monitor.observe('pg', index % 5 === 0 ? { error: down() } : { latencyMs: 2 });
      await clock.advance(100);
    }
    const burn = alerts.find((alert) => alert.rule === 'slo-availability-fast');
    expect(burn).toMatchObject({ state: 'firing', severity: 'page', threshold: 14.4 });
    expect(burn!.value).toBeGreaterThanOrEqual(14.4);
    // Six clean minutes: the 5-minute window no longer burns, even though the hour still does.
    for (let index = 0; index < 36; index += 1) {
      monitor.observe('pg', { latencyMs: 2 });
      await clock.advance(10_000);
    }
    expect(alerts.filter((alert) => alert.rule === 'slo-availability-fast').map((alert) => alert.state)).toEqual(['firing', 'resolved']);
  });

  it('pages on a latency SLO burn', async () => {
    const clock = createManualClock();
    const monitor = track(createHealthMonitor({ clock, slos: { pg: { latencyP95Ms: 100 } }, onError: () => {} }));
    const alerts: HealthAlert[] = [];
    monitor.onAlert((alert) => alerts.push(alert));
    for (let index = 0; index < 40; index += 1) monitor.observe('pg', { latencyMs: 400 });
    await clock.advance(30);
    expect(alerts.map((alert) => alert.rule)).toContain('slo-latency-fast');
  });

  it('keeps observe safe from a throwing listener', async () => {
    const clock = createManualClock();
    const errors: unknown[] = [];
    const monitor = track(createHealthMonitor({ clock, onError: (error) => errors.push(error) }));
    monitor.onAlert(() => {
      throw new Error('listener bug');
    });
    for (let index = 0; index < 3; index += 1) monitor.observe('pg', { error: down() });
    await clock.advance(30);
    expect(errors).toHaveLength(1);
  });
});

describe('createHealthMonitor: probes', () => {
  it('probes at once, faster while failing and slower while idle-healthy', async () => {
    const clock = createManualClock();
    const monitor = track(createHealthMonitor({ clock, onError: () => {} }));
    const probeTimes: number[] = [];
    let healthy = true;
    const start = clock.now();
    monitor.addProbeTarget('pg', async () => {
      probeTimes.push(clock.now() - start);
      if (!healthy) throw down();
    }, 30_000);
    await clock.advance(1);
    expect(probeTimes).toEqual([0]);
    // Healthy with no traffic: idle interval (60 s).
    await clock.advance(60_000);
    expect(probeTimes).toEqual([0, 60_000]);
    healthy = false;
    await clock.advance(60_000); // the probe at 120 s fails; the next ones come every 5 s
    await clock.advance(10_000);
    expect(probeTimes).toEqual([0, 60_000, 120_000, 125_000, 130_000]);
    expect(monitor.snapshot('pg')!.consecutiveFailures).toBe(3);
    healthy = true;
    // Back: three successful probes still come every 5 s (breakers return a member after consecutive
    // successful probes); then, with steady request traffic, the healthy interval is the plain 30 s.
    for (let second = 0; second < 100; second += 1) {
      monitor.observe('pg', { latencyMs: 1 });
      await clock.advance(1000);
    }
    expect(probeTimes.slice(5)).toEqual([135_000, 140_000, 145_000, 175_000, 205_000]);
  });

  it('brings a probe waiting out the idle interval forward when a request fails, so a crash and its recovery are seen in seconds', async () => {
    const clock = createManualClock();
    const monitor = track(createHealthMonitor({ clock, onError: () => {} }));
    const probeTimes: number[] = [];
    let healthy = true;
    const start = clock.now();
    monitor.addProbeTarget('pg', async () => {
      probeTimes.push(clock.now() - start);
      if (!healthy) throw down();
    }, 30_000);
    await clock.advance(1); // the first probe; the next is due in 60 s (idle)
    await clock.advance(10_000);
    healthy = false;
    monitor.observe('pg', { latencyMs: 1, error: down() });
    await clock.advance(5_000);
    expect(probeTimes).toEqual([0, 15_001]);
    monitor.observe('pg', { latencyMs: 1, error: down() }); // already at the failing cadence: nothing moves
    await clock.advance(5_000);
    expect(probeTimes).toEqual([0, 15_001, 20_001]);
  });

  it('keeps the failing cadence after a request failure even when the fault is over by the next probe (a short outage)', async () => {
    const clock = createManualClock();
    const monitor = track(createHealthMonitor({ clock, onError: () => {} }));
    const probeTimes: number[] = [];
    const start = clock.now();
    monitor.addProbeTarget('pg', async () => void probeTimes.push(clock.now() - start), 30_000);
    await clock.advance(1);
    // Requests fail for a moment (a reset); every probe succeeds, yet the next three still come 5 s apart.
    monitor.observe('pg', { latencyMs: 1, error: down() });
    for (let second = 0; second < 60; second += 1) {
      monitor.observe('pg', { latencyMs: 1 });
      await clock.advance(1000);
    }
    expect(probeTimes).toEqual([0, 5_001, 10_001, 15_001, 45_001]);
  });

  it('probes at the failing cadence while someone awaits the provider\'s recovery, whatever the probes say', async () => {
    const clock = createManualClock();
    const monitor = track(createHealthMonitor({ clock, onError: () => {} }));
    const probeTimes: number[] = [];
    const start = clock.now();
    monitor.addProbeTarget('pg', async () => void probeTimes.push(clock.now() - start), 30_000);
    await clock.advance(10_000); // the first probe; the next is due at 60 s (idle)
    const first = monitor.awaitRecovery('pg');
    const second = monitor.awaitRecovery('pg');
    await clock.advance(30_000); // brought forward to 15 s, then every 5 s while held
    expect(probeTimes).toEqual([0, 15_000, 20_000, 25_000, 30_000, 35_000, 40_000]);
    first.dispose();
    first.dispose(); // idempotent: the second hold still counts
    await clock.advance(10_000);
    expect(probeTimes.slice(7)).toEqual([45_000, 50_000]);
    second.dispose();
    await clock.advance(120_000);
    expect(probeTimes.slice(9)).toEqual([55_000, 115_000]); // the probe already due at 55 s, then idle again
  });

  it('tells onProbeResult listeners of every probe result, and not of passive observations', async () => {
    const clock = createManualClock();
    const monitor = track(createHealthMonitor({ clock, onError: () => {} }));
    const results: { provider: string; success: boolean }[] = [];
    monitor.onProbeResult(({ provider, success }) => results.push({ provider, success }));
    let healthy = false;
    monitor.addProbeTarget('pg', async () => {
      if (!healthy) throw down();
    }, 30_000);
    monitor.observe('pg', { latencyMs: 1 });
    await clock.advance(1);
    healthy = true;
    await clock.advance(5_000);
    expect(results).toEqual([
      { provider: 'pg', success: false },
      { provider: 'pg', success: true },
    ]);
  });

  it('times a hanging probe out as a failure and never overlaps probes', async () => {
    const clock = createManualClock();
    const monitor = track(createHealthMonitor({ clock, onError: () => {} }));
    let calls = 0;
    let aborted = 0;
    monitor.addProbeTarget('pg', (signal) => {
      calls += 1;
      signal.addEventListener('abort', () => (aborted += 1));
      return new Promise(() => {});
    }, 30_000, { timeoutMs: 2000 });
    await clock.advance(2500);
    expect([calls, aborted]).toEqual([1, 1]);
    expect(monitor.snapshot('pg')!.lastError?.name).toBe('Memory_ProviderTimeoutError');
    await clock.advance(5000 - 2500 + 2000);
    expect(calls).toBe(2);
  });

  it('stops probing when the target is disposed or the monitor closes', async () => {
    const clock = createManualClock();
    const monitor = createHealthMonitor({ clock, onError: () => {} });
    let calls = 0;
    const target = monitor.addProbeTarget('pg', async () => void (calls += 1), 1000);
    await clock.advance(1);
    target.dispose();
    await clock.advance(10_000);
    expect(calls).toBe(1);
    monitor.addProbeTarget('pg', async () => void (calls += 1), 1000);
    await monitor.close();
    await clock.advance(10_000);
    expect([calls, clock.pendingTimers()]).toEqual([1, 0]);
  });
});

describe('createHealthMonitor: hourly trends', () => {
  it('aggregates each hour per provider and prunes points past retention', async () => {
    const clock = createManualClock(100 * hour);
    const store = createInMemoryHealthTrendStore();
    const monitor = track(createHealthMonitor({ clock, trendStore: store, trendRetentionMs: 3 * hour, onError: () => {} }));
    for (let h = 0; h < 6; h += 1) {
      for (let index = 0; index < 10; index += 1) monitor.observe('pg', index < 9 ? { latencyMs: 10 * (h + 1) } : { error: down() });
      await clock.advance(hour);
    }
    await monitor.flushTrends();
    const points = await monitor.trends('pg', { from: 0, to: 200 * hour });
    // Hours 100..105 were written; pruning at hour 106 keeps hourStart >= 103.
    expect(points.map((point) => point.hourStart / hour)).toEqual([103, 104, 105]);
    expect(points[0]).toMatchObject({ provider: 'pg', volume: 10, successes: 9, failures: 1 });
    expect(points[0]!.latencyMs!.p50).toBeCloseTo(40, -0.5);
    expect(points[0]!.score).toBeGreaterThan(0.9);
  });
});

describe('createHealthMonitor: bad input', () => {
  it('rejects bad options and probe targets with the field named, and ignores a nonsense latency', () => {
    expect(() => createHealthMonitor({ webhooks: [{ url: 'ftp://x', secret: 's' }] })).toThrow(expect.objectContaining({ field: 'webhooks[0].url' }));
    expect(() => createHealthMonitor({ webhooks: [{ url: 'http://127.0.0.1:1/h', secret: '' }] })).toThrow(expect.objectContaining({ field: 'webhooks[0].secret' }));
    expect(() => createHealthMonitor({ downAfterFailures: Number.NaN })).toThrow(expect.objectContaining({ field: 'downAfterFailures' }));
    const monitor = track(createHealthMonitor({ clock: createManualClock(), onError: () => {} }));
    expect(() => monitor.addProbeTarget('pg', async () => {}, -5)).toThrow(expect.objectContaining({ field: 'intervalMs' }));
    expect(() => monitor.addProbeTarget('pg', async () => {}, 1000, { timeoutMs: 0 })).toThrow(expect.objectContaining({ field: 'timeoutMs' }));
    monitor.observe('pg', { latencyMs: Number.NaN });
    monitor.observe('pg', { latencyMs: 4 });
    expect(monitor.snapshot('pg')!.windows['1m']).toMatchObject({ volume: 2, latencyMs: { p50: expect.closeTo(4, 1) } });
  });
});
