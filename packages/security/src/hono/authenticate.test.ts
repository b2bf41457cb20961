import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { generateApiKey } from '../keys/api-key-format.js';
import { createInMemoryKeyStore } from '../keys/create-in-memory-key-store.js';
import { createKeyManager } from '../keys/create-key-manager.js';
import { createRateLimiter } from '../rate-limit/create-rate-limiter.js';
import { authenticate, type AuthenticateOptions } from './authenticate.js';
import { ipAllowList } from './ip-allow-list.js';
import { requirePermission } from './require-permission.js';

const setup = async (options: Partial<AuthenticateOptions> = {}) => {
  const keys = createKeyManager({ store: createInMemoryKeyStore() });
  const reader = await keys.create({ name: 'reader', roles: ['reader'], scope: { userId: 'alice' } });
  const app = new Hono();
  app.use('*', ipAllowList({ trustedProxies: ['10.0.0.1'] }));
  app.use('*', authenticate({ keys, publicPaths: ['/v1/ping'], ...options }));
  // c.var.principal is typed through ContextVariableMap: scope is reachable without casts.
  app.get('/whoami', (c) => c.json({ id: c.var.principal?.id ?? null, user: c.var.principal?.scope?.userId ?? null }));
  app.post('/write', requirePermission('memory:write'), (c) => c.json({ ok: true }));
  app.get('/v1/ping/', (c) => c.json({ status: 'ok' }));
  return { app, keys, reader };
};

const from = (remoteAddress: string) => ({ incoming: { socket: { remoteAddress } } });

describe('authenticate', () => {
  it('accepts the key as Token, Bearer and X-API-Key and sets the principal', async () => {
    const { app, reader } = await setup();
    for (const headers of [{ authorization: `Token ${reader.key}` }, { authorization: `bearer ${reader.key}` }, { 'x-api-key': reader.key }] as Record<string, string>[]) {
      const response = await app.request('/whoami', { headers });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ id: reader.record.id, user: 'alice' });
    }
  });

  it('answers 401 with a mem0-style detail body when no key is sent', async () => {
    const { app } = await setup();
    const response = await app.request('/whoami');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('Token');
    expect(await response.json()).toEqual({ detail: 'Authentication credentials were not provided.' });
  });

  it('answers 401 for junk, unknown, revoked keys and foreign auth schemes', async () => {
    const { app, keys, reader } = await setup();
    const other = await keys.create({ name: 'revoked' });
    await keys.revoke(other.record.id);
    for (const headers of [{ authorization: 'Token junk' }, { authorization: `Token ${generateApiKey('live').key}` }, { 'x-api-key': other.key }, { authorization: `Basic ${reader.key}` }] as Record<string, string>[]) {
      const response = await app.request('/whoami', { headers });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ detail: expect.any(String) });
    }
  });

  it('lets public paths through without a key, trailing slash ignored', async () => {
    const { app } = await setup();
    expect((await app.request('/v1/ping/')).status).toBe(200);
  });

  it('with optional, lets anonymous requests through without a principal but still refuses bad keys', async () => {
    const { app } = await setup({ optional: true });
    expect(await (await app.request('/whoami')).json()).toEqual({ id: null, user: null });
    expect((await app.request('/whoami', { headers: { authorization: 'Token junk' } })).status).toBe(401);
  });

  it('answers 401 without a principal and 403 for a key that lacks the permission', async () => {
    const { app, keys, reader } = await setup({ optional: true });
    expect((await app.request('/write', { method: 'POST' })).status).toBe(401);
    const denied = await app.request('/write', { method: 'POST', headers: { authorization: `Token ${reader.key}` } });
    expect(denied.status).toBe(403);
    expect(await denied.json()).toEqual({ detail: 'This key lacks the memory:write permission.' });
    const writer = await keys.create({ name: 'w', roles: ['writer'] });
    expect((await app.request('/write', { method: 'POST', headers: { authorization: `Token ${writer.key}` } })).status).toBe(200);
  });

  it('refuses a key used outside its own IP allow-list with 403, reading the client through a trusted proxy', async () => {
    const { app, keys } = await setup();
    const office = await keys.create({ name: 'office', allowedIps: ['198.51.100.0/24'] });
    const headers = { authorization: `Token ${office.key}`, 'x-forwarded-for': '198.51.100.7' };
    expect((await app.request('/whoami', { headers }, from('10.0.0.1'))).status).toBe(200);
    expect((await app.request('/whoami', { headers }, from('203.0.113.5'))).status).toBe(403);
    expect((await app.request('/whoami', { headers: { authorization: `Token ${office.key}` } }, from('203.0.113.5'))).status).toBe(403);
  });

  it('throttles repeated failed attempts per client IP with 429, without charging good requests', async () => {
    const clock = { now: 0 };
    const failureLimiter = createRateLimiter({ rule: { capacity: 3, refillPerSecond: 0.1 }, now: () => clock.now });
    const { app, reader } = await setup({ failureLimiter });
    const good = { headers: { authorization: `Token ${reader.key}` } };
    for (let index = 0; index < 5; index += 1) expect((await app.request('/whoami', good, from('203.0.113.5'))).status).toBe(200);
    const bad = { headers: { authorization: 'Token mg_live_guess' } };
    for (let index = 0; index < 3; index += 1) expect((await app.request('/whoami', bad, from('203.0.113.5'))).status).toBe(401);
    const throttled = await app.request('/whoami', good, from('203.0.113.5'));
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('10');
    expect((await app.request('/whoami', good, from('203.0.113.6'))).status).toBe(200);
    clock.now += 10_000;
    expect((await app.request('/whoami', good, from('203.0.113.5'))).status).toBe(200);
  });

  it('counts failed attempts from IPv6 clients by /64', async () => {
    const failureLimiter = createRateLimiter({ rule: { capacity: 2, refillPerSecond: 0.001 }, now: () => 0 });
    const { app, reader } = await setup({ failureLimiter });
    const bad = { headers: { authorization: 'Token mg_live_guess' } };
    expect((await app.request('/whoami', bad, from('2001:db8:1:2::1'))).status).toBe(401);
    expect((await app.request('/whoami', bad, from('2001:db8:1:2::2'))).status).toBe(401);
    const good = { headers: { authorization: `Token ${reader.key}` } };
    expect((await app.request('/whoami', good, from('2001:db8:1:2:ffff::3'))).status).toBe(429);
    expect((await app.request('/whoami', good, from('2001:db8:1:3::1'))).status).toBe(200);
  });

  it('accepts any authenticator of plain MemoryPrincipals, such as the gateway admin key, and marks them as key-authenticated', async () => {
    const admin = { authenticate: async (key: string) => (key === 'the-admin-key' ? { id: 'admin', permissions: ['*'] } : null) };
    const app = new Hono();
    app.use('*', authenticate({ keys: admin }));
    app.post('/write', requirePermission('memory:write'), (c) => c.json(c.var.principal ?? null));
    const response = await app.request('/write', { method: 'POST', headers: { 'x-api-key': 'the-admin-key' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: 'admin', permissions: ['*'], authMethods: ['api_key'] });
  });
});
