import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '@memgate/testkit';
import { createMem0WireServer, type Mem0WireServer } from '@memgate/testkit/mem0-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { callGateway } from './testing/call-gateway.js';
import { parseExposition, type ParsedExposition } from './testing/parse-exposition.js';
import { promqlReferences, substituteGrafanaVariables } from './testing/promql-references.js';
import { spawnMemgate, type SpawnedMemgate } from './testing/spawn-memgate.js';

// Issue 13, item 3 (SPEC-022): the Grafana dashboards and Prometheus rules in deploy/ may only use
// metrics and labels a running gateway exports. Every PromQL expression is parsed with Prometheus' own
// grammar; each selector's metric must be among the samples of a real `memgate serve`'s /metrics after
// traffic that exercises every series the artifacts use (writes, searches, a provider ceiling, a
// failing provider: failovers, an open breaker, a burning SLO), each label matcher must name a label of
// that metric, and each `=` matcher a value the gateway exported.

const deploy = fileURLToPath(new URL('../../../deploy/', import.meta.url));
const key = 'deploy-artifacts-admin-key-0123456789ab';
// Labels Prometheus adds to every scraped series; `up` is its own per-target series.
const targetLabels = new Set(['job', 'instance']);
const prometheusSeries = new Map([['up', new Set(['job', 'instance'])]]);

interface Expression {
  /** Where it comes from: `<file>: <panel or rule>`. */
  readonly where: string;
  readonly promql: string;
  /** Labels its legend or annotations print (`{{provider}}`, `{{ $labels.provider }}`). */
  readonly printedLabels: readonly string[];
}

const readDirectory = (directory: string, suffix: RegExp): string[] =>
  readdirSync(join(deploy, directory))
    .filter((name) => suffix.test(name))
    .map((name) => join(deploy, directory, name));

function dashboardExpressions(): Expression[] {
  const expressions: Expression[] = [];
  for (const file of readDirectory('grafana/dashboards', /\.json$/)) {
    const dashboard = JSON.parse(readFileSync(file, 'utf8')) as Record<string, any>;
    const visit = (panels: any[] = []): void => {
      for (const panel of panels) {
        visit(panel.panels);
        for (const target of panel.targets ?? []) {
          expressions.push({ where: `${basename(file)}: panel '${panel.title}'`, promql: substituteGrafanaVariables(target.expr), printedLabels: [...String(target.legendFormat ?? '').matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((match) => match[1]!) });
        }
      }
    };
    visit(dashboard.panels);
    for (const annotation of dashboard.annotations?.list ?? []) {
      if (annotation.expr) expressions.push({ where: `${basename(file)}: annotation '${annotation.name}'`, promql: substituteGrafanaVariables(annotation.expr), printedLabels: [...String(annotation.textFormat ?? '').matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((match) => match[1]!) });
    }
    for (const variable of dashboard.templating?.list ?? []) {
      const query = typeof variable.query === 'string' ? variable.query : variable.query?.query;
      const labelValues = /^label_values\((.+),\s*(\w+)\)$/.exec(query ?? '');
      expect(labelValues, `${basename(file)}: variable ${variable.name} is a label_values() query`).not.toBeNull();
      expressions.push({ where: `${basename(file)}: variable '${variable.name}'`, promql: substituteGrafanaVariables(labelValues![1]!), printedLabels: [labelValues![2]!] });
    }
  }
  return expressions;
}

function ruleExpressions(): Expression[] {
  const expressions: Expression[] = [];
  for (const file of readDirectory('prometheus', /rules\.ya?ml$/)) {
    const document = parseYaml(readFileSync(file, 'utf8')) as { groups: { name: string; rules: Record<string, any>[] }[] };
    expect(document.groups.length, basename(file)).toBeGreaterThan(0);
    for (const group of document.groups) {
      for (const rule of group.rules) {
        expect(typeof (rule.alert ?? rule.record), `${basename(file)}: a rule of ${group.name} is named`).toBe('string');
        expect(typeof rule.expr, `${basename(file)}: ${rule.alert ?? rule.record} has an expr`).toBe('string');
        const templates = JSON.stringify({ labels: rule.labels ?? {}, annotations: rule.annotations ?? {} });
        expressions.push({ where: `${basename(file)}: ${rule.alert ?? rule.record}`, promql: rule.expr, printedLabels: [...templates.matchAll(/\$labels\.(\w+)/g)].map((match) => match[1]!) });
      }
    }
  }
  return expressions;
}

/** Every problem of one expression against what the gateway exported (none when it is right). */
function problemsOf(expression: Expression, exported: ParsedExposition): string[] {
  const problems: string[] = [];
  const references = promqlReferences(expression.promql);
  for (const error of references.errors) problems.push(`does not parse: ${error}`);
  if (references.selectors.length === 0) problems.push('selects no metric');
  const known = new Set(targetLabels);
  for (const selector of references.selectors) {
    const labels = exported.samples.get(selector.metric);
    const synthetic = prometheusSeries.get(selector.metric);
    if (!labels && !synthetic) {
      problems.push(`metric ${selector.metric || '(none)'} is not exported${exported.families.has(selector.metric) ? ' (declared, but without a sample after the traffic)' : ''}`);
      continue;
    }
    const labelNames = new Set([...(labels?.keys() ?? []), ...(synthetic ?? []), ...targetLabels]);
    for (const name of labelNames) known.add(name);
    for (const matcher of selector.matchers) {
      if (!labelNames.has(matcher.label)) problems.push(`${selector.metric} has no label ${matcher.label}`);
      else if (matcher.op === '=' && labels?.has(matcher.label) && !labels.get(matcher.label)!.has(matcher.value)) problems.push(`${selector.metric}{${matcher.label}="${matcher.value}"}: the gateway exported no such value (it has ${[...labels.get(matcher.label)!].join(', ')})`);
    }
  }
  for (const label of references.groupingLabels) if (!known.has(label)) problems.push(`groups by ${label}, a label none of its metrics has`);
  for (const label of expression.printedLabels) if (!known.has(label)) problems.push(`prints {{${label}}}, a label none of its metrics has`);
  return problems;
}

let primary: Mem0WireServer;
let state: TestDatabase;
let gateway: SpawnedMemgate;
let directory: string;
let exported: ParsedExposition;

const call = (method: string, path: string, body?: unknown) => callGateway(gateway.url, key, method, path, body);
const search = () => call('POST', '/v3/memories/search/', { query: 'foxes', filters: { user_id: 'alice' } });
const scrape = async (): Promise<string> => (await call('GET', '/metrics')).text;

beforeAll(async () => {
  [primary, state] = await Promise.all([createMem0WireServer(), createTestDatabase({ prefix: 'memgate_deploy_artifacts' })]);
  directory = mkdtempSync(join(tmpdir(), 'memgate-deploy-artifacts-'));
  const config = join(directory, 'memgate.json');
  writeFileSync(
    config,
    JSON.stringify({
      providers: [
        { name: 'primary', provider_type: 'mem0', connection_string: primary.url, priority: 10, health_check_interval: 1, timeout: 1000, rate_limit: { rps: 3, burst: 3 }, settings: { mode: 'platform', apiKey: primary.apiKey } },
        { name: 'backup', provider_type: 'memory', connection_string: 'memory://backup', priority: 20 },
      ],
      routing: { strategy: 'priority', breaker: { failure_threshold: 2, cooldown_ms: 1000 }, retry: { hedge_reads_after_ms: false } },
      alerts: {
        slos: [{ name: 'availability', sli: 'availability', objective: 0.99, minimum_volume: 1, windows: [{ name: 'fast', long_window_ms: 10_000, short_window_ms: 2_000, burn_rate: 2, severity: 'page' }] }],
        rules: [{ name: 'backlog-high', metric: 'backlog_entries', above: 1000, severity: 'ticket' }],
      },
    }),
  );
  gateway = await spawnMemgate({ MEMGATE_ADMIN_KEY: key, MEMGATE_STATE_URL: state.url, MEMGATE_DATA_DIR: join(directory, 'data'), MEMGATE_SHED_EVENT_LOOP_DELAY_MS: '0' }, ['--config', config]);

  // Writes (journaled to both providers), reads, and a burst past the primary's ceiling.
  for (let index = 0; index < 3; index += 1) {
    const added = await call('POST', '/v3/memories/add/', { messages: [{ role: 'user', content: `I like foxes ${index}` }], user_id: 'alice', infer: false });
    expect(added.status, added.text).toBe(200);
  }
  const burst = await Promise.all(Array.from({ length: 8 }, search));
  expect(burst.map((answer) => answer.status)).toEqual(Array(8).fill(200));
  // The primary fails: failovers, its breaker opens, its SLO burns. Two requests at once, once the
  // ceiling's tokens are back, open its breaker (failure_threshold 2) before its failing probes mark it
  // down (3 consecutive failures, after which the router no longer tries it and the breaker stays closed).
  await new Promise((resolve) => setTimeout(resolve, 1500));
  primary.faults.failWith = 503;
  expect((await Promise.all(Array.from({ length: 2 }, search))).map((answer) => answer.status)).toEqual([200, 200]);
  const started = Date.now();
  while (!/^memgate_breaker_transitions_total\{provider="primary",state="open"\} [1-9]/m.test(await scrape()) || !/^memgate_alert_active\{rule="slo-availability-fast",provider="primary",severity="page"\} 1$/m.test(await scrape())) {
    if (Date.now() - started > 30_000) throw new Error(`the primary's breaker did not open:\n${await scrape()}`);
    expect((await search()).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  primary.faults.reset();
  exported = parseExposition(await scrape());
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
  await Promise.all([primary?.close(), state?.drop()]);
  if (directory) rmSync(directory, { recursive: true, force: true });
}, 30_000);

describe('deploy/: Grafana dashboards and Prometheus rules', () => {
  it('use only metrics, labels and label values a running gateway exports', () => {
    const expressions = [...dashboardExpressions(), ...ruleExpressions()];
    expect(expressions.length).toBeGreaterThan(30);
    const problems = expressions.flatMap((expression) => problemsOf(expression, exported).map((problem) => `${expression.where}: ${problem}\n    ${expression.promql.trim()}`));
    expect(problems).toEqual([]);
  });

  it('cover traffic, errors, latency, failovers, breakers, backlog and SLO burn, in the dashboards and in the rules', () => {
    const used = (expressions: Expression[]) => new Set(expressions.flatMap((expression) => promqlReferences(expression.promql).selectors.map((selector) => selector.metric)));
    const areas: Record<string, RegExp> = {
      traffic: /^memgate_(http_requests_total|routing_decisions_total)$/,
      errors: /^memgate_(http_requests_total|routing_decisions_total|provider_attempt_duration_seconds_count)$/,
      latency: /^memgate_provider_attempt_duration_seconds_bucket$/,
      failovers: /^memgate_failovers_total$/,
      breakers: /^memgate_provider_breaker_state$/,
      backlog: /^memgate_journal_(backlog_entries|resync_needed)$/,
      'SLO burn': /^memgate_(slo_burn_rate|alert_active)$/,
    };
    for (const [artifact, metrics] of [['dashboards', used(dashboardExpressions())], ['rules', used(ruleExpressions())]] as const) {
      for (const [area, pattern] of Object.entries(areas)) expect([...metrics].some((metric) => pattern.test(metric)), `${artifact} cover ${area}`).toBe(true);
    }
  });

  it('the metric checks catch a wrong name, label or value (the checker is not vacuous)', () => {
    const check = (promql: string) => problemsOf({ where: 'probe', promql, printedLabels: [] }, exported);
    expect(check('sum by (provider) (rate(memgate_http_requests_total[5m]))')).toEqual(['groups by provider, a label none of its metrics has']);
    expect(check('memgate_provider_up{region="eu"}')).toEqual(['memgate_provider_up has no label region']);
    expect(check('memgate_routing_decisions_total{outcome="timeout"}')[0]).toMatch(/exported no such value/);
    expect(check('rate(memgate_requests_total[5m])')).toEqual(['metric memgate_requests_total is not exported']);
    expect(check('sum(rate(memgate_http_requests_total[5m])')[0]).toMatch(/does not parse/);
  });

  it('are wired together: dashboards query the provisioned data source, the provisioning points at the dashboards, Prometheus loads the rules', () => {
    const datasources = parseYaml(readFileSync(join(deploy, 'grafana/provisioning/datasources/prometheus.yaml'), 'utf8')) as { datasources: { uid: string; type: string }[] };
    const uids = new Set(datasources.datasources.filter((source) => source.type === 'prometheus').map((source) => source.uid));
    for (const file of readDirectory('grafana/dashboards', /\.json$/)) {
      const text = readFileSync(file, 'utf8');
      const used = new Set([...text.matchAll(/"uid": "([^"]+)"/g)].map((match) => match[1]!).filter((uid) => uid !== JSON.parse(text).uid));
      expect([...used].filter((uid) => !uids.has(uid)), basename(file)).toEqual([]);
    }
    const provisioning = parseYaml(readFileSync(join(deploy, 'grafana/provisioning/dashboards/memgate.yaml'), 'utf8')) as { providers: { type: string; options: { path: string } }[] };
    expect(provisioning.providers).toEqual([expect.objectContaining({ type: 'file', options: expect.objectContaining({ path: expect.any(String) }) })]);
    const prometheus = parseYaml(readFileSync(join(deploy, 'prometheus/prometheus.yml'), 'utf8')) as { rule_files: string[]; scrape_configs: { job_name: string; metrics_path: string }[] };
    expect(prometheus.rule_files.map((file) => basename(file))).toEqual(readDirectory('prometheus', /rules\.ya?ml$/).map((file) => basename(file)));
    expect(prometheus.scrape_configs).toContainEqual(expect.objectContaining({ job_name: 'memgate', metrics_path: '/metrics' }));
  });
});
