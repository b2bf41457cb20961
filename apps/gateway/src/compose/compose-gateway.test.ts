import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyWebhookSignature, webhookSignatureHeader, webhookTimestampHeader } from '@memgate/health';
import { ProviderPluginSet } from '@memgate/registry';
import { createTestDatabase, type TestDatabase } from '@memgate/testkit';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashApiKey } from '@memgate/security';
import { builtInProviderPlugins } from '../cli/commands/built-in-plugins.js';
import { readConfigFile } from '../cli/commands/read-config-file.js';
import { resolveServeSettings } from '../cli/serve-settings.js';
import { composeGateway } from './compose-gateway.js';

let state: TestDatabase;
let receiver: Server;
let receiverUrl: string;
const received: { body: string; timestamp: string | undefined; signature: string | undefined }[] = [];
const directory = mkdtempSync(join(tmpdir(), 'memgate-compose-alerts-'));

beforeAll(async () => {
  state = await createTestDatabase({ prefix: 'memgate_state' });
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push({ body, timestamp: request.headers[webhookTimestampHeader] as string | undefined, signature: request.headers[webhookSignatureHeader] as string | undefined });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
}, 30_000);
afterAll(async () => {
  await new Promise((resolve) => receiver?.close(resolve));
  await state?.drop();
});

describe('composeGateway', () => {
  it('delivers the health monitor’s alerts to the webhooks of the config file, signed with the secret from the environment', async () => {
    const config = join(directory, 'alerts.json');
    writeFileSync(
      config,
      JSON.stringify({
        alerts: { webhooks: [{ url: receiverUrl, secret: '${HOOK_SECRET}' }] },
        providers: [
          { name: 'steady', provider_type: 'memory', connection_string: 'memory://steady', priority: 1 },
          // Nothing listens on port 1: every probe (each second) fails at once.
          { name: 'gone', provider_type: 'postgres', connection_string: 'postgres://postgres@127.0.0.1:1/none', priority: 2, health_check_interval: 1, timeout: 500 },
        ],
      }),
    );
    const env = { MEMGATE_STATE_URL: state.url, HOOK_SECRET: 'hook-secret-123' };
    const settings = await resolveServeSettings(['--config', config, '--data-dir', join(directory, 'data')], env, directory);
    const gateway = await composeGateway({ settings, env, cwd: directory, adminKeyHash: hashApiKey('k'.repeat(40)), logger: pino({ level: 'silent' }) });
    try {
      expect(gateway.pool.statistics().members.map((member) => member.name).sort()).toEqual(['gone', 'steady']);
      const started = Date.now();
      while (!received.some((delivery) => delivery.body.includes('"provider-down"')) && Date.now() - started < 10_000) await new Promise((resolve) => setTimeout(resolve, 50));
      const delivery = received.find((candidate) => candidate.body.includes('"provider-down"'))!;
      expect(JSON.parse(delivery.body)).toMatchObject({ rule: 'provider-down', provider: 'gone', state: 'firing' });
      expect(verifyWebhookSignature({ secret: 'hook-secret-123', body: delivery.body, timestamp: delivery.timestamp, signature: delivery.signature })).toBe(true);
      const scraped = await gateway.metrics.registry.metrics();
      expect(scraped).toMatch(/^memgate_alerts_total\{rule="provider-down",provider="gone",state="firing"\} 1$/m);
      expect(scraped).toMatch(/^memgate_provider_up\{provider="gone"\} 0$/m);
    } finally {
      await gateway.close();
    }
  }, 30_000);

  it('keeps the failover history in the state store: a decision made through the app is listed after a restart on the same data directory', async () => {
    const config = join(directory, 'restart.json');
    writeFileSync(config, JSON.stringify({ providers: [{ name: 'kept', provider_type: 'memory', connection_string: 'memory://kept' }] }));
    // No MEMGATE_STATE_URL: the store is PGlite under the data directory, so only the directory carries the history over.
    const env = {};
    const key = 'r'.repeat(40);
    const compose = async () =>
      composeGateway({
        settings: await resolveServeSettings(['--config', config, '--data-dir', join(directory, 'restart-data')], env, directory),
        env,
        cwd: directory,
        adminKeyHash: hashApiKey(key),
        logger: pino({ level: 'silent' }),
      });
    const headers = { authorization: `Token ${key}`, 'content-type': 'application/json' };
    const since = Date.now();
    const before = await compose();
    try {
      expect(before.persistence).toEqual({ decisions: 'state', trends: 'state' });
      const added = await before.app.request('/v3/memories/add/', { method: 'POST', headers, body: JSON.stringify({ messages: [{ role: 'user', content: 'I like foxes' }], user_id: 'alice', infer: false }) });
      expect(added.status).toBe(200);
    } finally {
      await before.close();
    }
    const after = await compose();
    try {
      const history = await after.app.request(`/providers/failover/history?since=${since}&provider=kept`, { headers });
      expect(history.status).toBe(200);
      const { decisions } = (await history.json()) as { decisions: Record<string, unknown>[] };
      expect(decisions).toContainEqual(expect.objectContaining({ operation: 'add', chosen: 'kept', outcome: 'success', strategy: expect.any(String) }));
    } finally {
      await after.close();
    }
  }, 60_000);

  it('refuses an alerts section with an unknown field or a bad URL, by path', async () => {
    const config = join(directory, 'bad-alerts.json');
    writeFileSync(config, JSON.stringify({ alerts: { webhooks: [{ url: 'ftp://x', secret: 's', colour: 'red' }] }, routing: { strategy: 'hybrid', retry: { attempt_timeout_ms: 0 } } }));
    const report = await readConfigFile(config, directory, {}, new ProviderPluginSet(builtInProviderPlugins));
    expect(report.problems.map((problem) => problem.path).sort()).toEqual(['alerts.webhooks[0].colour', 'alerts.webhooks[0].url', 'routing.retry.attempt_timeout_ms']);
  });
});
