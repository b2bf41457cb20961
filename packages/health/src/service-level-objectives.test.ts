import { ProviderUnavailableError, ValidationError } from '@memgate/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createHealthMonitor, type HealthMonitorOptions } from './create-health-monitor.js';
import type { HealthAlert } from './health-alert.js';
import type { HealthMonitor } from './health-monitor.js';
import { createManualClock } from './manual-clock.js';
import { formatWindow } from './service-level-objective.js';

const down = (): ProviderUnavailableError => new ProviderUnavailableError({ message: 'connection refused' });
const builtInRules = new Set(['provider-down', 'health-score-low', 'config-fault']);
const monitors: HealthMonitor[] = [];
afterEach(async () => {
  await Promise.all(monitors.splice(0).map((monitor) => monitor.close()));
});

function start(options: HealthMonitorOptions) {
  const clock = createManualClock();
  const monitor = createHealthMonitor({ clock, onError: () => {}, ...options });
  monitors.push(monitor);
  // Only the alerts of the objectives and rules under test; the built-in ones fire beside them.
  const alerts: HealthAlert[] = [];
  monitor.onAlert((alert) => void (builtInRules.has(alert.rule) ? undefined : alerts.push(alert)));
  return { clock, monitor, alerts };
}

// Short windows, as a test config would have them: 10 s long, 2 s short, fires at 5× a 10 % budget.
const quick = [{ name: 'fast', longWindowMs: 10_000, shortWindowMs: 2_000, factor: 5, severity: 'page' as const }];

describe('objectives: multi-window burn-rate alerts', () => {
  it('fires while both windows burn, reports the burn rate per window, and resolves by timer once the short window is clean, without traffic', async () => {
    const { clock, monitor, alerts } = start({ objectives: { '*': [{ name: 'availability', indicator: 'availability', objective: 0.9, windows: quick, minimumVolume: 1 }] } });
    // Every call fails: burn rate 1 / 0.1 = 10 over both windows.
    for (let index = 0; index < 10; index += 1) {
      monitor.observe('mem0', { error: down() });
      await clock.advance(100);
    }
    expect(alerts).toMatchObject([{ rule: 'slo-availability-fast', provider: 'mem0', state: 'firing', severity: 'page', value: 10, threshold: 5 }]);
    const status = monitor.objectiveStatus();
    expect(status).toEqual([
      expect.objectContaining({
        provider: 'mem0',
        objective: 'availability',
        target: 0.9,
        burnRates: [expect.objectContaining({ window: '2s', burnRate: 10 }), expect.objectContaining({ window: '10s', burnRate: 10 })],
        alerts: [expect.objectContaining({ rule: 'slo-availability-fast', window: '10s/2s', firing: true })],
      }),
    ]);
    // No more calls at all: the periodic evaluation sees the short window empty and resolves.
    await clock.advance(3_000);
    expect(alerts.map((alert) => alert.state)).toEqual(['firing', 'resolved']);
    expect(alerts[1]!.id).toBe(alerts[0]!.id);
    expect(monitor.firingAlerts().filter((alert) => alert.rule.startsWith('slo-'))).toEqual([]);
    // The long window still remembers the burst.
    expect(monitor.objectiveStatus()[0]!.burnRates.find((rate) => rate.window === '10s')!.burnRate).toBe(10);
  });

  it('does not fire on a short burst the long window dilutes', async () => {
    const { clock, monitor, alerts } = start({ objectives: { pg: [{ name: 'availability', indicator: 'availability', objective: 0.9, windows: quick, minimumVolume: 1 }] } });
    for (let index = 0; index < 90; index += 1) {
      monitor.observe('pg', { latencyMs: 3 });
      await clock.advance(90);
    }
    // 30 failures at once: over the 2 s window about 30 of 52 calls fail (burn ≈ 5.8), over the 10 s one 30 of 120 (2.5).
    for (let index = 0; index < 30; index += 1) monitor.observe('pg', { error: down() });
    await clock.advance(100);
    const [status] = monitor.objectiveStatus();
    expect(status!.burnRates.find((rate) => rate.window === '2s')!.burnRate).toBeGreaterThan(5);
    expect(status!.alerts[0]!.firing).toBe(false);
    expect(alerts).toEqual([]);
  });

  it('counts slow successful requests against a latency objective, and neither probes nor failures', async () => {
    const { clock, monitor, alerts } = start({ objectives: { pg: [{ name: 'search-latency', indicator: 'latency', objective: 0.95, thresholdMs: 100, windows: quick, minimumVolume: 1 }] } });
    for (let index = 0; index < 10; index += 1) monitor.observe('pg', { latencyMs: 500, source: 'probe' });
    for (let index = 0; index < 10; index += 1) monitor.observe('pg', { error: down() });
    await clock.advance(100);
    expect(alerts).toEqual([]);
    for (let index = 0; index < 10; index += 1) monitor.observe('pg', { latencyMs: index < 5 ? 20 : 400 });
    await clock.advance(100);
    // 5 slow of 10 successful requests against a 5 % budget: burn rate 10.
    expect(alerts).toMatchObject([{ rule: 'slo-search-latency-fast', state: 'firing', value: 10 }]);
    expect(alerts[0]!.summary).toContain('≤ 100 ms');
  });

  it('lets a provider’s own objective replace the shared one of the same name', () => {
    const { monitor } = start({
      objectives: { '*': [{ name: 'availability', indicator: 'availability', objective: 0.99 }], pg: [{ name: 'availability', indicator: 'availability', objective: 0.9 }] },
    });
    monitor.observe('pg', { latencyMs: 1 });
    monitor.observe('mem0', { latencyMs: 1 });
    expect(monitor.objectiveStatus().map((status) => `${status.provider}:${status.target}`).sort()).toEqual(['mem0:0.99', 'pg:0.9']);
    // The SRE Workbook's three default alerts.
    expect(monitor.objectiveStatus()[0]!.alerts.map((alert) => `${alert.rule} ${alert.window} ${alert.factor}`)).toEqual(['slo-availability-fast 1h/5m 14.4', 'slo-availability-slow 6h/30m 6', 'slo-availability-ticket 3d/6h 1']);
  });

  it('refuses a bad objective or rule, naming the field', () => {
    const attempt = (options: HealthMonitorOptions): string => {
      try {
        createHealthMonitor(options);
      } catch (error) {
        expect(ValidationError.isInstance(error)).toBe(true);
        return (error as ValidationError & { field: string }).field;
      }
      return 'accepted';
    };
    expect(attempt({ objectives: { pg: [{ name: 'a', indicator: 'availability', objective: 1 }] } })).toBe('objectives.pg[0].objective');
    expect(attempt({ objectives: { pg: [{ name: 'l', indicator: 'latency', objective: 0.9 }] } })).toBe('objectives.pg[0].thresholdMs');
    expect(attempt({ objectives: { '*': [{ name: 'a', indicator: 'availability', objective: 0.9, windows: [{ name: 'w', longWindowMs: 1000, shortWindowMs: 2000, factor: 2, severity: 'page' }] }] } })).toBe('objectives.*[0].windows[0].shortWindowMs');
    expect(attempt({ thresholdRules: [{ name: 'provider-down', metric: 'health_score', below: 0.5 }] })).toBe('thresholdRules[0].name');
    expect(attempt({ thresholdRules: [{ name: 'x', metric: 'health_score', below: 0.5, above: 0.9 }] })).toBe('thresholdRules[0].above');
  });

  it('formats window lengths as Prometheus durations', () => {
    expect([300_000, 3_600_000, 259_200_000, 2_000, 1_500].map(formatWindow)).toEqual(['5m', '1h', '3d', '2s', '1500ms']);
  });
});

describe('threshold rules', () => {
  it('fires on an error rate above its threshold only after `forMs`, per provider, and resolves', async () => {
    const { clock, monitor, alerts } = start({ thresholdRules: [{ name: 'errors-high', metric: 'error_rate', above: 0.2, window: '1m', minimumVolume: 5, forMs: 1_000, severity: 'ticket' }], objectiveEvaluationIntervalMs: 200 });
    for (let index = 0; index < 10; index += 1) monitor.observe('mem0', index % 2 === 0 ? { error: down() } : { latencyMs: 5 });
    for (let index = 0; index < 10; index += 1) monitor.observe('pg', { latencyMs: 5 });
    await clock.advance(500);
    expect(alerts).toEqual([]);
    await clock.advance(700);
    expect(alerts).toMatchObject([{ rule: 'errors-high', provider: 'mem0', state: 'firing', severity: 'ticket', value: 0.5, threshold: 0.2 }]);
    for (let index = 0; index < 40; index += 1) monitor.observe('mem0', { latencyMs: 5 });
    await clock.advance(300);
    expect(alerts.map((alert) => `${alert.rule}:${alert.state}`)).toEqual(['errors-high:firing', 'errors-high:resolved']);
  });

  it('reads the values it cannot measure (a replication backlog) from the caller', async () => {
    let backlog = 0;
    const { clock, monitor, alerts } = start({ thresholdRules: [{ name: 'backlog-high', provider: 'pg-b', metric: 'backlog_entries', above: 100 }], readings: () => ({ backlog_entries: backlog }), objectiveEvaluationIntervalMs: 100 });
    monitor.observe('pg-a', { latencyMs: 1 });
    monitor.observe('pg-b', { latencyMs: 1 });
    backlog = 250;
    await clock.advance(150);
    expect(alerts).toMatchObject([{ rule: 'backlog-high', provider: 'pg-b', state: 'firing', value: 250 }]);
    backlog = 3;
    await clock.advance(150);
    expect(alerts.map((alert) => alert.state)).toEqual(['firing', 'resolved']);
  });
});
