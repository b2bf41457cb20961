import { OpenAPIHono } from '@hono/zod-openapi';
import { defineProviderPlugin, ProviderUnavailableError } from '@memgate/core';
import { ProviderRegistry } from '@memgate/registry';
import { inMemoryProviderPlugin } from '@memgate/testkit';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AppEnv } from '../app/app-env.js';
import { handleError } from '../app/handle-error.js';
import { createProvidersRouter } from './providers.index.js';

// A provider type whose probe fails when its settings say so, to test the 422.
const flakyPlugin = defineProviderPlugin({
  type: 'flaky',
  settingsSchema: z.strictObject({ down: z.boolean().optional(), apiKey: z.string().optional() }),
  create: (settings, context) => {
    const provider = inMemoryProviderPlugin.create({}, context);
    return {
      ...provider,
      probe: async () => {
        if (settings.down) throw new ProviderUnavailableError({ message: 'connection refused', providerId: context.name });
        return provider.probe();
      },
    };
  },
});

function setup(pending: Map<string, number> = new Map()) {
  const registry = new ProviderRegistry({ plugins: [inMemoryProviderPlugin, flakyPlugin], env: { FLAKY_KEY: 'sk-live-very-secret' }, management: { env_allow_list: ['FLAKY_KEY'] }, pendingWrites: (name) => pending.get(name) ?? 0 });
  const app = new OpenAPIHono<AppEnv>();
  app.route('/', createProvidersRouter(registry));
  app.onError(handleError);
  app.doc31('/openapi.json', { openapi: '3.1.0', info: { title: 'test', version: '0' } });
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await app.request(path, { method, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }) });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };
  return { registry, call };
}

const alpha = { name: 'alpha', provider_type: 'memory', connection_string: 'memory://alpha' };

describe('the /providers management API', () => {
  it('registers, lists, reads, configures, deactivates, activates and deletes a provider', async () => {
    const { call } = setup();
    const registered = await call('POST', '/providers/register', alpha);
    expect(registered).toMatchObject({ status: 201, body: { name: 'alpha', provider_type: 'memory', state: 'active', source: 'api', connected: true, version: 1 } });
    expect((await call('GET', '/providers')).body.providers.map((provider: { name: string }) => provider.name)).toEqual(['alpha']);
    expect((await call('PATCH', '/providers/alpha', { timeout: 1234 })).body).toMatchObject({ version: 2, config: { timeout: 1234, priority: 100 } });
    expect((await call('POST', '/providers/alpha/deactivate')).body).toMatchObject({ state: 'inactive', connected: false });
    expect((await call('POST', '/providers/alpha/activate')).body).toMatchObject({ state: 'active', connected: true });
    expect(await call('POST', '/providers/alpha/deactivate')).toMatchObject({ status: 200 });
    expect(await call('DELETE', '/providers/alpha')).toEqual({ status: 200, body: { name: 'alpha', deleted: true } });
    expect(await call('GET', '/providers/alpha')).toEqual({ status: 404, body: { error: "provider 'alpha' does not exist" } });
  });

  it('answers 400 with every problem of an invalid body, by path', async () => {
    const { call } = setup();
    const response = await call('POST', '/providers/register', { ...alpha, timeout: -1, retry_attempts: 'x', colour: 'red' });
    expect(response.status).toBe(400);
    expect(response.body.problems).toEqual(
      expect.arrayContaining([
        { path: 'retry_attempts', message: 'expected a non-negative integer' },
        { path: 'timeout', message: 'expected a positive integer' },
        { path: 'colour', message: 'unknown field' },
      ]),
    );
    expect(response.body.problems).toHaveLength(3);
    const unknownType = await call('POST', '/providers/register', { ...alpha, provider_type: 'oracle' });
    expect(unknownType).toMatchObject({ status: 400, body: { field: 'provider_type', problems: [{ path: 'provider_type', message: expect.stringMatching(/^unknown provider type 'oracle'/) }] } });
    const missingEnv = await call('POST', '/providers/register', { name: 'f', provider_type: 'flaky', connection_string: 'flaky://f', settings: { apiKey: '${NOT_SET}' } });
    expect(missingEnv.body.problems).toEqual([{ path: 'settings.apiKey', message: 'environment variable NOT_SET is not available to the management API (it must be listed in management.env_allow_list and set)' }]);
  });

  it('answers 422 when the probe fails, and registers with ?force=true', async () => {
    const { call } = setup();
    const down = { name: 'down', provider_type: 'flaky', connection_string: 'flaky://down', settings: { down: true } };
    expect(await call('POST', '/providers/register', down)).toEqual({ status: 422, body: { error: "provider 'down' failed its probe: provider unreachable (use force to register it anyway)" } });
    expect(await call('POST', '/providers/register?force=true', down)).toMatchObject({ status: 201, body: { state: 'active' } });
  });

  it('answers 409 with the reason for every refused transition', async () => {
    const pending = new Map([['alpha', 2]]);
    const { call } = setup(pending);
    await call('POST', '/providers/register', alpha);
    expect(await call('POST', '/providers/register', alpha)).toEqual({ status: 409, body: { error: "provider 'alpha' already exists" } });
    expect(await call('POST', '/providers/alpha/activate')).toEqual({ status: 409, body: { error: "provider 'alpha' is already active" } });
    expect(await call('DELETE', '/providers/alpha')).toEqual({ status: 409, body: { error: "provider 'alpha' is active; deactivate it before deleting it" } });
    await call('POST', '/providers/alpha/deactivate');
    expect(await call('POST', '/providers/alpha/deactivate')).toEqual({ status: 409, body: { error: "provider 'alpha' is already inactive" } });
    const refused = await call('DELETE', '/providers/alpha');
    expect(refused).toMatchObject({ status: 409, body: { error: expect.stringMatching(/^provider 'alpha' has 2 undelivered write\(s\)/) } });
    expect(await call('PATCH', '/providers/alpha', { name: 'beta' })).toMatchObject({ status: 400, body: { field: 'name' } });
    expect(await call('PATCH', '/providers/ghost', { timeout: 5 })).toMatchObject({ status: 404 });
  });

  it('never shows a literal secret, and keeps references', async () => {
    const { call } = setup();
    await call('POST', '/providers/register', { name: 'f', provider_type: 'flaky', connection_string: 'flaky://user:hunter2@host', settings: { apiKey: 'sk-literal-123' } });
    await call('POST', '/providers/register', { name: 'g', provider_type: 'flaky', connection_string: 'flaky://g', settings: { apiKey: '${FLAKY_KEY}' } });
    const text = JSON.stringify((await call('GET', '/providers')).body);
    expect(text).not.toMatch(/hunter2|sk-literal-123|very-secret/);
    expect(text).toContain('${FLAKY_KEY}');
  });

  it('documents every route in the OpenAPI document', async () => {
    const { call } = setup();
    const { body } = await call('GET', '/openapi.json');
    expect(Object.keys(body.paths).sort()).toEqual(['/providers', '/providers/register', '/providers/{name}', '/providers/{name}/activate', '/providers/{name}/deactivate']);
    expect(Object.keys(body.paths['/providers/{name}']).sort()).toEqual(['delete', 'get', 'patch']);
    expect(body.paths['/providers/register'].post.requestBody.content['application/json'].schema.properties).toHaveProperty('connection_string');
  });
});
