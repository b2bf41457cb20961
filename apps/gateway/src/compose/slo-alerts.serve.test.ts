import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyWebhookSignature, webhookIdHeader, webhookSignatureHeader, webhookTimestampHeader, type HealthAlert } from '@memgate/health';
import { createTestDatabase, type TestDatabase } from '@memgate/testkit';
import { createMem0WireServer, type Mem0WireServer } from '@memgate/testkit/mem0-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callGateway } from '../testing/call-gateway.js';
import { spawnMemgate, type SpawnedMemgate } from '../testing/spawn-memgate.js';

// Issue 13, item 2: SLOs and threshold rules from the config file, evaluated by a running `memgate serve`.
// A mem0 wire server behind the provider `flaky` answers 503 to everything for a while: the SLO's
// burn-rate alert (short windows: 6 s long, 2 s short, 5× a 10 % budget) fires to a real webhook
// receiver, shows in /metrics, and resolves once the fault is cleared. So does a threshold rule.

const key = 'slo-alerts-admin-key-0123456789abcdef';
const secret = 'slo-hook-secret-42';

interface Delivery {
  readonly alert: HealthAlert;
  readonly body: string;
  readonly headers: Record<string, string | undefined>;
}

let flaky: Mem0WireServer;
let state: TestDatabase;
let receiver: Server;
let gateway: SpawnedMemgate;
let directory: string;
const deliveries: Delivery[] = [];

beforeAll(async () => {
  [flaky, state] = await Promise.all([createMem0WireServer(), createTestDatabase({ prefix: 'memgate_slo_alerts' })]);
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const header = (name: string) => request.headers[name] as string | undefined;
      deliveries.push({ alert: JSON.parse(body) as HealthAlert, body, headers: { timestamp: header(webhookTimestampHeader), signature: header(webhookSignatureHeader), id: header(webhookIdHeader) } });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  directory = mkdtempSync(join(tmpdir(), 'memgate-slo-alerts-'));
  const config = join(directory, 'memgate.json');
  writeFileSync(
    config,
    JSON.stringify({
      providers: [
        { name: 'flaky', provider_type: 'mem0', connection_string: flaky.url, priority: 10, health_check_interval: 1, timeout: 1000, settings: { mode: 'platform', apiKey: flaky.apiKey } },
        { name: 'steady', provider_type: 'memory', connection_string: 'memory://steady', priority: 20 },
      ],
      routing: { strategy: 'priority', breaker: { failure_threshold: 3, cooldown_ms: 1000 }, retry: { hedge_reads_after_ms: false } },
      alerts: {
        webhooks: [{ url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`, secret: '${SLO_HOOK_SECRET}' }],
        // Every provider: `steady` gets the objective too, and never burns.
        slos: [{ name: 'availability', sli: 'availability', objective: 0.9, minimum_volume: 1, windows: [{ name: 'fast', long_window_ms: 6000, short_window_ms: 2000, burn_rate: 5, severity: 'page' }] }],
        rules: [{ name: 'flaky-failing', provider: 'flaky', metric: 'consecutive_failures', above: 2, severity: 'ticket' }],
      },
    }),
  );
  gateway = await spawnMemgate({ MEMGATE_ADMIN_KEY: key, MEMGATE_STATE_URL: state.url, MEMGATE_DATA_DIR: join(directory, 'data'), SLO_HOOK_SECRET: secret }, ['--config', config]);
}, 90_000);

afterAll(async () => {
  await gateway?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
  await Promise.all([flaky?.close(), state?.drop()]);
  if (directory) rmSync(directory, { recursive: true, force: true });
}, 30_000);

const scrape = async (): Promise<string> => {
  const answer = await callGateway(gateway.url, key, 'GET', '/metrics');
  expect(answer.status).toBe(200);
  return answer.text;
};
const gaugeValue = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};
const delivered = (rule: string, provider: string, stateName: 'firing' | 'resolved') => deliveries.find((delivery) => delivery.alert.rule === rule && delivery.alert.provider === provider && delivery.alert.state === stateName);

/** Sends searches (each tries `flaky` first while its breaker lets it) until `done()` or the deadline. */
async function trafficUntil(done: () => boolean, deadlineMs: number): Promise<void> {
  const started = Date.now();
  while (!done()) {
    if (Date.now() - started > deadlineMs) throw new Error(`timed out; deliveries: ${JSON.stringify(deliveries.map((delivery) => `${delivery.alert.rule}:${delivery.alert.provider}:${delivery.alert.state}`))}\n${gateway.output().slice(-3000)}`);
    const answer = await callGateway(gateway.url, key, 'POST', '/v3/memories/search/', { query: 'foxes', filters: { user_id: 'alice' } });
    expect(answer.status, answer.text).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('SLOs and alert rules from the config, in a running memgate serve', () => {
  it('exports each configured SLO before anything burns', async () => {
    await trafficUntil(() => true, 0);
    const text = await scrape();
    expect(gaugeValue(text, 'memgate_slo_objective{provider="flaky",slo="availability",sli="availability"}')).toBe(0.9);
    expect(gaugeValue(text, 'memgate_slo_objective{provider="steady",slo="availability",sli="availability"}')).toBe(0.9);
    expect(gaugeValue(text, 'memgate_slo_burn_rate{provider="flaky",slo="availability",window="2s"}')).toBe(0);
    expect(gaugeValue(text, 'memgate_slo_burn_rate{provider="flaky",slo="availability",window="6s"}')).toBe(0);
    expect(gaugeValue(text, 'memgate_alert_active{rule="slo-availability-fast",provider="flaky",severity="page"}')).toBe(0);
  }, 30_000);

  it('fires the burn-rate alert and the threshold rule to the webhook while the backend fails, shows them in /metrics, and resolves both once it recovers', async () => {
    flaky.faults.failWith = 503;
    await trafficUntil(() => delivered('slo-availability-fast', 'flaky', 'firing') !== undefined && delivered('flaky-failing', 'flaky', 'firing') !== undefined, 30_000);
    const firing = delivered('slo-availability-fast', 'flaky', 'firing')!;
    expect(firing.alert).toMatchObject({ severity: 'page', threshold: 5 });
    expect(firing.alert.value).toBeGreaterThanOrEqual(5);
    expect(firing.alert.summary).toContain('SLO availability');
    expect(verifyWebhookSignature({ secret, body: firing.body, timestamp: firing.headers.timestamp, signature: firing.headers.signature })).toBe(true);
    expect(firing.headers.id).toBe(`${firing.alert.id}:firing`);
    expect(delivered('flaky-failing', 'flaky', 'firing')!.alert).toMatchObject({ severity: 'ticket', threshold: 2 });

    const during = await scrape();
    expect(gaugeValue(during, 'memgate_alert_active{rule="slo-availability-fast",provider="flaky",severity="page"}')).toBe(1);
    expect(gaugeValue(during, 'memgate_alert_active{rule="flaky-failing",provider="flaky",severity="ticket"}')).toBe(1);
    expect(gaugeValue(during, 'memgate_slo_burn_rate{provider="flaky",slo="availability",window="6s"}')).toBeGreaterThanOrEqual(5);
    // The provider that serves meanwhile stays within its objective.
    expect(gaugeValue(during, 'memgate_alert_active{rule="slo-availability-fast",provider="steady",severity="page"}')).toBe(0);
    expect(gaugeValue(during, 'memgate_slo_burn_rate{provider="steady",slo="availability",window="2s"}')).toBe(0);
    expect(during).toMatch(/^memgate_alerts_total\{rule="slo-availability-fast",provider="flaky",state="firing"\} 1$/m);
    expect(deliveries.filter((delivery) => delivery.alert.provider === 'steady' && delivery.alert.rule.startsWith('slo-'))).toEqual([]);

    flaky.faults.reset();
    await trafficUntil(() => delivered('slo-availability-fast', 'flaky', 'resolved') !== undefined && delivered('flaky-failing', 'flaky', 'resolved') !== undefined, 30_000);
    const resolved = delivered('slo-availability-fast', 'flaky', 'resolved')!;
    expect(resolved.alert.id).toBe(firing.alert.id);
    expect(resolved.alert.value).toBeLessThan(5);
    expect(verifyWebhookSignature({ secret, body: resolved.body, timestamp: resolved.headers.timestamp, signature: resolved.headers.signature })).toBe(true);
    // Exactly one firing and one resolved event of the SLO alert reached the receiver.
    expect(deliveries.filter((delivery) => delivery.alert.rule === 'slo-availability-fast').map((delivery) => delivery.alert.state)).toEqual(['firing', 'resolved']);

    const after = await scrape();
    expect(gaugeValue(after, 'memgate_alert_active{rule="slo-availability-fast",provider="flaky",severity="page"}')).toBe(0);
    expect(gaugeValue(after, 'memgate_alert_active{rule="flaky-failing",provider="flaky",severity="ticket"}')).toBe(0);
    // Resolved: the lower of the two windows' rates is under the factor (either window may still be above it).
    const burnRate = (window: string) => gaugeValue(after, `memgate_slo_burn_rate{provider="flaky",slo="availability",window="${window}"}`)!;
    expect(Math.min(burnRate('2s'), burnRate('6s'))).toBeLessThan(5);
    expect(after).toMatch(/^memgate_alerts_total\{rule="slo-availability-fast",provider="flaky",state="resolved"\} 1$/m);
  }, 90_000);

  it('refuses to start on an invalid SLO or rule, naming each field (exit 2)', async () => {
    const config = join(directory, 'bad.json');
    writeFileSync(config, JSON.stringify({ alerts: { slos: [{ name: 'availability', sli: 'availability', objective: 1.5 }], rules: [{ name: 'r', metric: 'health_score' }] } }));
    const failure = await spawnMemgate({ MEMGATE_ADMIN_KEY: key, MEMGATE_STATE_URL: state.url, MEMGATE_DATA_DIR: join(directory, 'bad-data') }, ['--config', config]).then(
      async (started) => {
        await started.stop();
        return 'started';
      },
      (error: Error) => error.message,
    );
    expect(failure).toMatch(/exited with 2/);
    expect(failure).toContain('alerts.slos[0].objective');
  }, 30_000);
});
