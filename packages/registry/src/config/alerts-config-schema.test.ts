import { describe, expect, it } from 'vitest';
import { createTestProviderPlugin } from '../test-support/test-provider-plugin.js';
import { validateConfig } from './validate-config.js';

const { plugin } = createTestProviderPlugin();
const validate = (alerts: unknown) => validateConfig({ alerts }, { plugins: [plugin], env: {} });
const paths = (alerts: unknown) => validate(alerts).problems.map((problem) => `${problem.path}: ${problem.message}`);

describe('the alerts section', () => {
  it('takes SLOs and threshold rules, filling in provider *, severities and no windows (the package defaults)', () => {
    const result = validate({
      webhooks: [{ url: 'https://ops.example.com/hook', secret: '${HOOK_SECRET}' }],
      slos: [
        { name: 'availability', sli: 'availability', objective: 0.999 },
        { name: 'latency', provider: 'mem0', sli: 'latency', objective: 0.95, threshold_ms: 300, windows: [{ name: 'fast', long_window_ms: 3_600_000, short_window_ms: 300_000, burn_rate: 14.4 }] },
      ],
      rules: [
        { name: 'score-low', metric: 'health_score', below: 0.6 },
        { name: 'backlog-high', provider: 'pg-b', metric: 'backlog_entries', above: 1000, for_ms: 60_000, severity: 'page' },
      ],
    });
    expect(result.problems).toEqual([]);
    expect(result.config?.alerts).toEqual({
      webhooks: [{ url: 'https://ops.example.com/hook', secret: '${HOOK_SECRET}' }],
      slos: [
        { name: 'availability', provider: '*', sli: 'availability', objective: 0.999 },
        { name: 'latency', provider: 'mem0', sli: 'latency', objective: 0.95, threshold_ms: 300, windows: [{ name: 'fast', long_window_ms: 3_600_000, short_window_ms: 300_000, burn_rate: 14.4, severity: 'page' }] },
      ],
      rules: [
        { name: 'score-low', provider: '*', metric: 'health_score', below: 0.6, severity: 'warning' },
        { name: 'backlog-high', provider: 'pg-b', metric: 'backlog_entries', above: 1000, for_ms: 60_000, severity: 'page' },
      ],
    });
  });

  it('names every bad field by its path', () => {
    expect(
      paths({
        slos: [
          { name: 'a', sli: 'availability', objective: 1.5 },
          { name: 'l', sli: 'latency', objective: 0.9 },
          { name: 'w', sli: 'availability', objective: 0.9, windows: [{ name: 'fast', long_window_ms: 1000, short_window_ms: 5000, burn_rate: 2 }, { name: 'fast', long_window_ms: 1000, short_window_ms: 500, burn_rate: 0 }] },
          { name: 'a', sli: 'availability', objective: 0.99 },
          { name: 'x', sli: 'errors', objective: 0.9, colour: 'red' },
        ],
        rules: [
          { name: 'provider-down', metric: 'health_score', below: 0.5 },
          { name: 'both', metric: 'error_rate', above: 0.1, below: 0.5 },
          { name: 'what', metric: 'cpu', above: 1 },
        ],
      }),
    ).toEqual([
      'alerts.rules[0].name: expected a name that is not a built-in rule (provider-down, health-score-low, config-fault, replication-backlog) and does not start with slo-',
      'alerts.rules[1].above: expected exactly one of above and below',
      'alerts.rules[2].metric: expected one of health_score, error_rate, latency_p95_ms, latency_p99_ms, consecutive_failures, backlog_entries, backlog_bytes',
      'alerts.slos[0].objective: expected a number between 0 and 1 (exclusive)',
      'alerts.slos[1].threshold_ms: a latency SLO needs threshold_ms',
      'alerts.slos[2].windows[0].short_window_ms: expected at most long_window_ms',
      'alerts.slos[2].windows[1].burn_rate: expected a positive number',
      "alerts.slos[2].windows[1].name: duplicate window name 'fast'",
      'alerts.slos[4].colour: unknown field',
      'alerts.slos[4].sli: expected availability or latency',
    ]);
  });

  it('refuses a duplicate SLO for the same provider and a duplicate rule name', () => {
    expect(
      paths({
        slos: [
          { name: 'a', sli: 'availability', objective: 0.9 },
          { name: 'a', provider: 'pg', sli: 'availability', objective: 0.9 },
          { name: 'a', sli: 'availability', objective: 0.99 },
        ],
        rules: [
          { name: 'r', metric: 'health_score', below: 0.5 },
          { name: 'r', metric: 'error_rate', above: 0.5 },
        ],
      }),
    ).toEqual(["alerts.rules[1].name: duplicate rule name 'r'", "alerts.slos[2].name: duplicate SLO 'a' for provider '*'"]);
  });
});
