import { describe, expect, it } from 'vitest';
import { createTestProviderPlugin } from '../test-support/test-provider-plugin.js';
import { formatConfigProblems } from './config-problem.js';
import { validateConfig } from './validate-config.js';

const { plugin } = createTestProviderPlugin();
const env = { TEST_KEY: 'k-123', TEST_URL: 'test://from-env' };
const good = { name: 'primary', provider_type: 'test', connection_string: 'test://one' };

function problemsOf(json: unknown) {
  const result = validateConfig(json, { plugins: [plugin], env });
  expect(result.ok).toBe(false);
  return result.problems;
}

describe('validateConfig', () => {
  it('accepts the SPEC-020 format and fills in defaults', () => {
    const result = validateConfig({ providers: [good, { ...good, name: 'backup', connection_string: '${TEST_URL}', settings: { apiKey: '${TEST_KEY}' } }] }, { plugins: [plugin], env });
    expect(result.problems).toEqual([]);
    expect(result.config?.providers[0]).toEqual({ ...good, priority: 100, enabled: true, health_check_interval: 30, timeout: 5000, retry_attempts: 3, weight: 1, security_level: 'api_key' });
    // References stay references: they are resolved at use.
    expect(result.config?.providers[1]?.settings).toEqual({ apiKey: '${TEST_KEY}' });
  });

  it('takes round-robin weights and retry_attempts as written, 0 retries included', () => {
    const result = validateConfig({ providers: [{ ...good, weight: 3, retry_attempts: 0 }, { ...good, name: 'backup', weight: 1, retry_attempts: 2 }] }, { plugins: [plugin], env });
    expect(result.problems).toEqual([]);
    expect(result.config?.providers.map(({ name, weight, retry_attempts }) => ({ name, weight, retry_attempts }))).toEqual([
      { name: 'primary', weight: 3, retry_attempts: 0 },
      { name: 'backup', weight: 1, retry_attempts: 2 },
    ]);
  });

  it('takes a request ceiling (rate_limit) as written, burst optional, and leaves it out when absent', () => {
    const result = validateConfig({ providers: [{ ...good, rate_limit: { rps: 50, burst: 10 } }, { ...good, name: 'backup', rate_limit: { rps: 0.5 } }, { ...good, name: 'third' }, { ...good, name: 'fourth', rate_limit: null }] }, { plugins: [plugin], env });
    expect(result.problems).toEqual([]);
    expect(result.config?.providers.map((provider) => provider.rate_limit)).toEqual([{ rps: 50, burst: 10 }, { rps: 0.5 }, undefined, null]);
    expect(result.config?.providers[2]).not.toHaveProperty('rate_limit');
  });

  it('accepts an optional floor for the global retry budget and leaves it out when absent', () => {
    const withFloor = validateConfig({ providers: [good], routing: { retry: { budget_min_concurrent: 10 } } }, { plugins: [plugin], env });
    expect(withFloor.config?.routing?.retry).toMatchObject({ budget_ratio: 0.1, budget_min_concurrent: 10 });
    const without = validateConfig({ providers: [good], routing: { retry: {} } }, { plugins: [plugin], env });
    expect(without.config?.routing?.retry).not.toHaveProperty('budget_min_concurrent');
  });

  it('accepts a fixed hedge delay or false, and leaves it out (adaptive) when absent', () => {
    for (const value of [250, false]) expect(validateConfig({ providers: [good], routing: { retry: { hedge_reads_after_ms: value } } }, { plugins: [plugin], env }).config?.routing?.retry).toMatchObject({ hedge_reads_after_ms: value });
    expect(validateConfig({ providers: [good], routing: { retry: {} } }, { plugins: [plugin], env }).config?.routing?.retry).not.toHaveProperty('hedge_reads_after_ms');
  });

  const broken: [string, unknown, { path: string; message: string | RegExp }][] = [
    ['a wrong type', { providers: [{ ...good, priority: 'high' }] }, { path: 'providers[0].priority', message: 'expected a non-negative integer' }],
    ['an unknown provider type', { providers: [{ ...good, provider_type: 'oracle' }] }, { path: 'providers[0].provider_type', message: /^unknown provider type 'oracle' \(known: test;/ }],
    ['a missing connection string', { providers: [{ name: 'x', provider_type: 'test' }] }, { path: 'providers[0].connection_string', message: 'required' }],
    ['duplicate names', { providers: [good, { ...good, connection_string: 'test://two' }] }, { path: 'providers[1].name', message: "duplicate provider name 'primary' (also providers[0])" }],
    ['a bad URL', { providers: [{ ...good, connection_string: 'not a url' }] }, { path: 'providers[0].connection_string', message: /^expected a URL/ }],
    ['a negative timeout', { providers: [{ ...good, timeout: -5 }] }, { path: 'providers[0].timeout', message: 'expected a positive integer' }],
    ['a round-robin weight of 0', { providers: [{ ...good, weight: 0 }] }, { path: 'providers[0].weight', message: 'expected a positive integer' }],
    ['a fractional round-robin weight', { providers: [{ ...good, weight: 1.5 }] }, { path: 'providers[0].weight', message: 'expected a positive integer' }],
    ['a round-robin weight that is not a number', { providers: [{ ...good, weight: 'heavy' }] }, { path: 'providers[0].weight', message: 'expected a positive integer' }],
    ['a fractional retry_attempts', { providers: [{ ...good, retry_attempts: 0.5 }] }, { path: 'providers[0].retry_attempts', message: 'expected a non-negative integer' }],
    ['a request ceiling of 0', { providers: [{ ...good, rate_limit: { rps: 0 } }] }, { path: 'providers[0].rate_limit.rps', message: 'expected a positive number' }],
    ['a request ceiling without rps', { providers: [{ ...good, rate_limit: { burst: 5 } }] }, { path: 'providers[0].rate_limit.rps', message: 'required' }],
    ['a request ceiling that is a number', { providers: [{ ...good, rate_limit: 50 }] }, { path: 'providers[0].rate_limit', message: 'expected an object like {"rps": 50, "burst": 10}, or null' }],
    ['a fractional ceiling burst', { providers: [{ ...good, rate_limit: { rps: 5, burst: 2.5 } }] }, { path: 'providers[0].rate_limit.burst', message: 'expected a positive integer' }],
    ['an unknown field in a request ceiling', { providers: [{ ...good, rate_limit: { rps: 5, rpm: 300 } }] }, { path: 'providers[0].rate_limit.rpm', message: 'unknown field' }],
    ['a fractional timeout', { providers: [{ ...good, timeout: 1.5 }] }, { path: 'providers[0].timeout', message: 'expected a positive integer' }],
    ['a hedge delay that is neither a positive integer nor false', { providers: [good], routing: { retry: { hedge_reads_after_ms: 0 } } }, { path: 'routing.retry.hedge_reads_after_ms', message: /./ }],
    ['an unknown field in an entry', { providers: [{ ...good, colour: 'red' }] }, { path: 'providers[0].colour', message: 'unknown field' }],
    ['an unknown top-level field', { providers: [good], extra: true }, { path: 'extra', message: 'unknown field' }],
    ['a missing env reference', { providers: [{ ...good, settings: { apiKey: '${NOPE_KEY}' } }] }, { path: 'providers[0].settings.apiKey', message: 'environment variable NOPE_KEY is not set' }],
    ['a missing env reference in the connection string', { providers: [{ ...good, connection_string: '${NOPE_URL}' }] }, { path: 'providers[0].connection_string', message: 'environment variable NOPE_URL is not set' }],
    ['an unknown security level', { providers: [{ ...good, security_level: 'root' }] }, { path: 'providers[0].security_level', message: 'expected one of public, api_key, rbac, mtls, hybrid' }],
    ['a bad name', { providers: [{ ...good, name: 'has space' }] }, { path: 'providers[0].name', message: /^expected 1 to 63 letters/ }],
    ['settings the plugin rejects', { providers: [{ ...good, settings: { apiKey: 42 } }] }, { path: 'providers[0].settings.apiKey', message: /expected string/ }],
    ['a connection string the plugin rejects', { providers: [{ ...good, connection_string: 'https://example.test' }] }, { path: 'providers[0].connection_string', message: 'expected a test:// URL' }],
    ['an unknown routing strategy', { providers: [good], routing: { strategy: 'random' } }, { path: 'routing.strategy', message: 'expected one of priority, health, round_robin, performance, hybrid' }],
    ['a write quorum above the enabled providers', { providers: [good], routing: { write_quorum: 2 } }, { path: 'routing.write_quorum', message: 'expected at most the number of enabled providers (1)' }],
    ['a breaker weight out of range', { providers: [good], routing: { weights: { health: 2 } } }, { path: 'routing.weights.health', message: 'expected a number between 0 and 1' }],
    ['a retry budget floor that is not a positive integer', { providers: [good], routing: { retry: { budget_min_concurrent: 0 } } }, { path: 'routing.retry.budget_min_concurrent', message: 'expected a positive integer' }],
    ['providers that are not an array', { providers: {} }, { path: 'providers', message: 'expected an array of providers' }],
    ['a module that was not loaded', { providers: [{ ...good, module: '@acme/memgate-redis' }] }, { path: 'providers[0].module', message: "plugin module '@acme/memgate-redis' was not loaded" }],
  ];

  it.each(broken)('rejects %s with its path and reason', (_, json, expected) => {
    const problems = problemsOf(json);
    expect(problems).toContainEqual({ path: expected.path, message: expect.stringMatching(expected.message instanceof RegExp ? expected.message : `^${escape(expected.message)}$`) });
  });

  it('reports every problem of a file, not just the first, in path order', () => {
    const problems = problemsOf({
      providers: [{ ...good, timeout: 0, retry_attempts: -1 }, { ...good, provider_type: 'nope' }, { name: 'c', provider_type: 'test', connection_string: 'test://c', settings: { apiKey: '${MISSING}' } }],
      surprise: 1,
    });
    expect(formatConfigProblems(problems)).toBe(
      [
        'providers[0].retry_attempts: expected a non-negative integer',
        'providers[0].timeout: expected a positive integer',
        "providers[1].name: duplicate provider name 'primary' (also providers[0])",
        "providers[1].provider_type: unknown provider type 'nope' (known: test; set \"module\" to load a plugin package)",
        'providers[2].settings.apiKey: environment variable MISSING is not set',
        'surprise: unknown field',
      ].join('\n'),
    );
  });

  it('never echoes a secret from a rejected connection string', () => {
    const problems = problemsOf({ providers: [{ ...good, connection_string: 'postgres//user:hunter2@db' }] });
    expect(JSON.stringify(problems)).not.toContain('hunter2');
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
