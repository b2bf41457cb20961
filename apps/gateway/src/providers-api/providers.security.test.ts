import { existsSync, mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpenAPIHono } from '@hono/zod-openapi';
import { ProviderRegistry } from '@memgate/registry';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AppEnv } from '../app/app-env.js';
import { handleError } from '../app/handle-error.js';
import { builtInProviderPlugins } from '../cli/commands/built-in-plugins.js';
import { startServer, type RunningServer } from '../server/start-server.js';
import { createProvidersRouter } from './providers.index.js';

// A real loopback listener standing in for whatever the attacker wants the gateway to reach:
// it counts every request and answers 401 with a body that must never reach a client.
const upstreamBody = '{"detail":"upstream-secret-body: token for tenant 42 is invalid"}';
let requests: { url: string; authorization?: string }[] = [];
let listener: Server;
let listenerUrl: string;
const logLines: string[] = [];
const directory = mkdtempSync(join(tmpdir(), 'memgate-management-security-'));
const env = { MEMGATE_ADMIN_KEY: 'admin-key-that-must-not-leave', TEAM_MEM0_KEY: 'team-key' };
let registry: ProviderRegistry;
let server: RunningServer;

beforeAll(async () => {
  listener = createServer((request, response) => {
    requests.push({ url: request.url ?? '', authorization: request.headers['x-api-key'] as string | undefined });
    response.writeHead(401, { 'content-type': 'application/json' }).end(upstreamBody);
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  listenerUrl = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
  registry = new ProviderRegistry({ plugins: builtInProviderPlugins, env, dataDir: directory, cwd: directory, management: { env_allow_list: ['TEAM_MEM0_KEY'] } });
  const logger = pino({ level: 'warn' }, { write: (line: string) => void logLines.push(line) });
  const app = new OpenAPIHono<AppEnv>();
  app.use(async (c, next) => {
    c.set('logger', logger);
    await next();
  });
  app.route('/', createProvidersRouter(registry));
  // The data plane's shape, over one named provider: a provider's error goes through the app's onError.
  app.get('/data/:name/:id', async (c) => c.json((await registry.provider(c.req.param('name'))!.get(c.req.param('id'))) ?? null));
  app.onError(handleError);
  server = await startServer(app, { port: 0 });
});
afterAll(async () => {
  await server?.close();
  await registry?.close();
  await new Promise((resolve) => listener?.close(resolve));
});
beforeEach(() => {
  requests = [];
});

async function call(method: string, path: string, body?: unknown) {
  const response = await fetch(`${server.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as Record<string, any>, text, headers: response.headers };
}

const mem0At = (name: string, url: string, settings: Record<string, unknown> = {}) => ({ name, provider_type: 'mem0', connection_string: url, settings: { mode: 'oss', ...settings } });

describe('the management API cannot be turned against its host', () => {
  it('refuses a data: module with 400 on `module`, and the module never runs (register and configure)', async () => {
    const mark = join(directory, 'data-module-ran');
    const code = `import { writeFileSync } from 'node:fs'; writeFileSync(${JSON.stringify(mark)}, 'ran'); export default {};`;
    const module = `data:text/javascript,${encodeURIComponent(code)}`;
    const refused = await call('POST', '/providers/register', { name: 'evil', provider_type: 'evil', connection_string: 'evil://x', module });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ field: 'module', problems: [{ path: 'module', message: expect.stringMatching(/^plugin modules load only from the config file/) }] });
    expect((await call('POST', '/providers/register?force=true', { name: 'evil', provider_type: 'evil', connection_string: 'evil://x', module })).status).toBe(400);
    expect((await call('POST', '/providers/register', { name: 'plain', provider_type: 'memory', connection_string: 'memory://plain' })).status).toBe(201);
    expect(await call('PATCH', '/providers/plain', { module })).toMatchObject({ status: 400, body: { field: 'module' } });
    expect(existsSync(mark)).toBe(false);
  });

  it('refuses ${MEMGATE_ADMIN_KEY} with the same message as an unset name, and sends nothing', async () => {
    const admin = await call('POST', '/providers/register?force=true', mem0At('m-admin', 'https://api.mem0.ai', { apiKey: '${MEMGATE_ADMIN_KEY}' }));
    const unset = await call('POST', '/providers/register?force=true', mem0At('m-unset', 'https://api.mem0.ai', { apiKey: '${NO_SUCH_VARIABLE_HERE}' }));
    expect(admin.status).toBe(400);
    expect(unset.status).toBe(400);
    expect(admin.body.field).toBe('settings.apiKey');
    expect(unset.body.field).toBe('settings.apiKey');
    expect(unset.body.error.replace('NO_SUCH_VARIABLE_HERE', 'MEMGATE_ADMIN_KEY')).toBe(admin.body.error);
    expect(admin.text).not.toContain(env.MEMGATE_ADMIN_KEY);
    expect(requests).toEqual([]);
  });

  it('refuses a mem0 provider pointed at a real loopback listener (with and without force, and via configure); the listener gets no request', async () => {
    for (const path of ['/providers/register', '/providers/register?force=true']) {
      const refused = await call('POST', path, mem0At('m-loop', listenerUrl, { apiKey: '${TEAM_MEM0_KEY}' }));
      expect(refused.status).toBe(400);
      expect(refused.body.field).toBe('connection_string');
      expect(refused.body.error).toMatch(/refused by the egress policy: 127\.0\.0\.1 is a loopback address/);
    }
    const viaSetting = await call('POST', '/providers/register?force=true', { ...mem0At('m-set', 'mem0://default'), settings: { mode: 'oss', baseUrl: listenerUrl } });
    expect(viaSetting).toMatchObject({ status: 400, body: { field: 'settings.baseUrl' } });
    // A provider the operator registered elsewhere, then re-pointed through the API.
    await registry.register(mem0At('m-cfg', 'https://api.mem0.ai'), { source: 'config', force: true });
    expect(await call('PATCH', '/providers/m-cfg?force=true', { connection_string: listenerUrl })).toMatchObject({ status: 400, body: { field: 'connection_string' } });
    expect(await call('PATCH', '/providers/m-cfg?force=true', { settings: { mode: 'oss', baseUrl: `${listenerUrl}/v1` } })).toMatchObject({ status: 400, body: { field: 'settings.baseUrl' } });
    expect(await call('GET', '/providers/m-loop')).toMatchObject({ status: 404 });
    expect(requests).toEqual([]);
  });

  it('refuses a hostname that resolves to loopback (localhost), odd IPv4 spellings and mapped IPv6', async () => {
    const port = new URL(listenerUrl).port;
    for (const url of [`http://localhost:${port}`, `http://2130706433:${port}`, `http://0x7f.1:${port}`, `http://[::ffff:127.0.0.1]:${port}`, 'http://169.254.169.254/', 'http://metadata.google.internal/']) {
      const refused = await call('POST', '/providers/register?force=true', mem0At('m-odd', url));
      expect({ url, status: refused.status, field: refused.body.field }).toEqual({ url, status: 400, field: 'connection_string' });
    }
    expect(requests).toEqual([]);
  });

  it('refuses pglite://../../etc and pglite paths outside the data directory, and admits pglite://memory', async () => {
    for (const url of ['pglite://../../etc', 'pglite:///etc', 'pglite://./state']) {
      const refused = await call('POST', '/providers/register?force=true', { name: 'pg-escape', provider_type: 'postgres', connection_string: url });
      expect({ url, status: refused.status, field: refused.body.field }).toEqual({ url, status: 400, field: 'connection_string' });
    }
    expect((await call('POST', '/providers/register?force=true', { name: 'pg-mem', provider_type: 'postgres', connection_string: 'pglite://memory', enabled: false })).status).toBe(201);
  });

  it('accepts a config-file entry with a loopback URL, and answers a provider 401 with 502 and the classified message only', async () => {
    await registry.register(mem0At('m-local', listenerUrl, { apiKey: '${MEMGATE_ADMIN_KEY}' }), { source: 'config', force: true });
    const answer = await call('GET', '/data/m-local/0190a6f0-0000-7000-8000-000000000000');
    expect(answer.status).toBe(502);
    expect(answer.body).toEqual({ error: 'authentication to provider failed', detail: 'authentication to provider failed' });
    expect(answer.text).not.toContain('upstream-secret-body');
    expect(requests.length).toBeGreaterThan(0);
    // The full upstream text is in the log, for the operator.
    expect(logLines.join('\n')).toContain('upstream-secret-body');
  });

  it('answers a failed probe with 422 and the classified message, never the upstream body', async () => {
    const operatorAllowed = new ProviderRegistry({ plugins: builtInProviderPlugins, env, management: { egress: { allow_hosts: ['127.0.0.1'] } } });
    const app = new OpenAPIHono<AppEnv>();
    app.route('/', createProvidersRouter(operatorAllowed));
    app.onError(handleError);
    const allowed = await startServer(app, { port: 0 });
    try {
      const response = await fetch(`${allowed.url}/providers/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(mem0At('m-probe', listenerUrl)) });
      const text = await response.text();
      expect(response.status).toBe(422);
      expect(JSON.parse(text)).toEqual({ error: "provider 'm-probe' failed its probe: authentication to provider failed (use force to register it anyway)" });
      expect(text).not.toContain('upstream-secret-body');
      expect(requests.length).toBeGreaterThan(0);
    } finally {
      await allowed.close();
      await operatorAllowed.close();
    }
  });
});
