import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faultLike } from './harness/fault-like.js';
import { startDrillEnvironment, type DrillEnvironment } from './harness/start-drill-environment.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Every non-test TypeScript source the gateway ships: apps/gateway/src and packages/<name>/src, except the testkit. */
function shippedSources(): string[] {
  const roots = [join(repoRoot, 'apps/gateway/src'), ...readdirSync(join(repoRoot, 'packages')).filter((name) => name !== 'testkit').map((name) => join(repoRoot, 'packages', name, 'src'))];
  return roots.flatMap((root) =>
    (readdirSync(root, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
      .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !/\.test(-d)?\.ts$|\.test-support\.ts$/.test(entry.name))
      .map((entry) => join(entry.parentPath, entry.name)),
  );
}

let env: DrillEnvironment | undefined;
beforeAll(async () => {
  env = await startDrillEnvironment();
}, 120_000);
afterAll(() => env?.close(), 60_000);

describe('no fault can be triggered in the gateway from outside', () => {
  it('the OpenAPI document has no fault-like path or parameter', async () => {
    const response = await env!.client.request('GET', '/openapi.json');
    expect(response.status).toBe(200);
    const document = response.body as { paths: Record<string, Record<string, { parameters?: { name: string }[] }>> };
    const paths = Object.keys(document.paths);
    expect(paths.length).toBeGreaterThan(10);
    expect(paths.filter((path) => faultLike.test(path))).toEqual([]);
    const parameters = Object.values(document.paths).flatMap((operations) => Object.values(operations).flatMap((operation) => (operation.parameters ?? []).map((parameter) => parameter.name)));
    expect(parameters.filter((name) => faultLike.test(name))).toEqual([]);
  });

  it('fault-style request headers (memgate-, Envoy- and toxiproxy-like) change nothing', async () => {
    const userId = `no-fault-${Date.now()}`;
    const add = { messages: [{ role: 'user', content: 'foxes are quick' }], user_id: userId, infer: false };
    expect((await env!.client.request('POST', '/v3/memories/add/', { body: add })).status).toBe(200);
    const search = { query: 'foxes', filters: { user_id: userId } };
    const baseline = await env!.client.request('POST', '/v3/memories/search/', { body: search });
    expect(baseline.status).toBe(200);
    const headers: Record<string, string> = {
      'x-memgate-fault': 'error',
      'x-memgate-fail': 'true',
      'x-memgate-chaos': '1',
      'x-memgate-latency': '5000',
      'x-memgate-delay-ms': '5000',
      'x-memgate-force-error': '503',
      'x-memgate-provider': 'nonexistent',
      'x-envoy-fault-abort-request': '503',
      'x-envoy-fault-delay-request': '5000',
      'x-fault-inject': 'timeout',
      'x-toxiproxy': 'blackhole',
    };
    // Reads first, then writes: the searches must all see the same memories as the baseline.
    for (const [name, value] of Object.entries(headers)) {
      const response = await env!.client.request('POST', '/v3/memories/search/', { body: search, headers: { [name]: value } });
      expect({ name, status: response.status, body: response.body }).toEqual({ name, status: 200, body: baseline.body });
      expect(response.latencyMs).toBeLessThan(2000);
    }
    for (const [name, value] of Object.entries(headers)) {
      const written = await env!.client.request('POST', '/v3/memories/add/', { body: add, headers: { [name]: value } });
      expect({ name, status: written.status }).toEqual({ name, status: 200 });
    }
  });

  // Settings whose names match the pattern but that only make the gateway protect itself: the load
  // shedding threshold (the event loop's delay past which new requests get 503) injects nothing.
  const protectiveSettings = new Set(['MEMGATE_SHED_EVENT_LOOP_DELAY_MS']);

  it('the shipped sources read no fault-like environment variable or header', () => {
    const sources = shippedSources();
    expect(sources.length).toBeGreaterThan(50);
    const suspicious: string[] = [];
    for (const file of sources) {
      const text = readFileSync(file, 'utf8');
      for (const [name] of text.matchAll(/\bMEMGATE_[A-Z0-9_]+\b/g)) if (faultLike.test(name) && !protectiveSettings.has(name)) suspicious.push(`${file}: ${name}`);
      for (const [name] of text.matchAll(/['"`](x-[a-z0-9-]+)['"`]/gi)) if (faultLike.test(name)) suspicious.push(`${file}: ${name}`);
    }
    expect(suspicious).toEqual([]);
  });
});
