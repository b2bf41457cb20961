import { AuthError, ProviderUnavailableError } from '@memgate/core';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHealthMonitor } from './create-health-monitor.js';
import type { HealthAlert } from './health-alert.js';
import { createWebhookNotifier } from './webhook-notifier.js';
import { verifyWebhookSignature, webhookIdHeader, webhookSignatureHeader, webhookTimestampHeader } from './webhook-signature.js';

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly at: number;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A real webhook receiver on a loopback port; `statuses` are answered in turn (then 200). */
async function startReceiver(statuses: number[] = []): Promise<{ url: string; received: Received[]; next: () => Promise<Received> }> {
  const received: Received[] = [];
  const waiters: ((value: Received) => void)[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const entry = { headers: request.headers, body, at: Date.now() };
      received.push(entry);
      waiters.shift()?.(entry);
      response.writeHead(statuses.shift() ?? 200).end();
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks`, received, next: () => new Promise((resolve) => waiters.push(resolve)) };
}

const secret = 'whsec_test_8f3a';

describe('webhook alerts', () => {
  it('fire within 100 ms of the observation that crosses the threshold and reach a real receiver, signed', async () => {
    const receiver = await startReceiver();
    const monitor = createHealthMonitor({ webhooks: [{ url: receiver.url, secret }], onError: () => {} });
    // A gateway that has run for a while has undici loaded and a connection open: warm up the same way
    // with one delivery of another alert, so the measurement is the alert path and not module loading.
    const warmUp = receiver.next();
    monitor.observe('warm-up', { error: new AuthError({ message: 'bad key' }) });
    await warmUp;
    const inProcess: { alert: HealthAlert; at: number }[] = [];
    monitor.onAlert((alert) => inProcess.push({ alert, at: Date.now() }));
    monitor.observe('pg', { error: new ProviderUnavailableError({ message: 'refused' }) });
    monitor.observe('pg', { error: new ProviderUnavailableError({ message: 'refused' }) });
    const delivered = receiver.next();
    const crossedAt = Date.now();
    monitor.observe('pg', { error: new ProviderUnavailableError({ message: 'refused' }) });
    const request = await delivered;
    expect(inProcess.map((entry) => entry.alert.rule)).toEqual(['provider-down']);
    expect(inProcess[0]!.at - crossedAt).toBeLessThan(100);
    expect(request.at - crossedAt).toBeLessThan(100);
    const alert = JSON.parse(request.body) as HealthAlert;
    expect(alert).toMatchObject({ rule: 'provider-down', provider: 'pg', state: 'firing', value: 3, threshold: 3 });
    expect(verifyWebhookSignature({ secret, body: request.body, timestamp: request.headers[webhookTimestampHeader] as string, signature: request.headers[webhookSignatureHeader] as string })).toBe(true);
    expect(verifyWebhookSignature({ secret: 'wrong', body: request.body, timestamp: request.headers[webhookTimestampHeader] as string, signature: request.headers[webhookSignatureHeader] as string })).toBe(false);
    expect(verifyWebhookSignature({ secret, body: `${request.body} `, timestamp: request.headers[webhookTimestampHeader] as string, signature: request.headers[webhookSignatureHeader] as string })).toBe(false);
    await monitor.close();
  });

  it('retries a failing receiver with backoff, keeps one delivery id, and delivers each event once', async () => {
    const receiver = await startReceiver([503, 500]);
    const notifier = createWebhookNotifier({ url: receiver.url, secret, backoffBaseMs: 5 });
    const alert: HealthAlert = { id: 'provider-down:pg:1', rule: 'provider-down', provider: 'pg', state: 'firing', severity: 'critical', summary: 'pg down', value: 3, threshold: 3, startedAt: 1 };
    notifier.notify(alert);
    notifier.notify(alert);
    await notifier.idle();
    expect(receiver.received).toHaveLength(3);
    expect(new Set(receiver.received.map((entry) => entry.headers[webhookIdHeader]))).toEqual(new Set(['provider-down:pg:1:firing']));
    notifier.notify({ ...alert, state: 'resolved', resolvedAt: 2 });
    await notifier.idle();
    expect(receiver.received.map((entry) => (JSON.parse(entry.body) as HealthAlert).state)).toEqual(['firing', 'firing', 'firing', 'resolved']);
    notifier.close();
  });

  it('gives up after its attempts on a final status and reports the failure', async () => {
    const receiver = await startReceiver([400]);
    const failures: unknown[] = [];
    const notifier = createWebhookNotifier({ url: receiver.url, secret, backoffBaseMs: 1, onDeliveryFailure: (_alert, error) => failures.push(error) });
    notifier.notify({ id: 'a', rule: 'config-fault', provider: 'mem0', state: 'firing', severity: 'critical', summary: 's', value: 1, threshold: 1, startedAt: 1 });
    await notifier.idle();
    expect(receiver.received).toHaveLength(1);
    expect(String(failures[0])).toContain('HTTP 400');
  });

  it('rejects a stale signature', () => {
    expect(verifyWebhookSignature({ secret, body: '{}', timestamp: '1000', signature: 'v1=00', now: 10_000_000 })).toBe(false);
  });
});
