import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createAuditLog } from '../audit/create-audit-log.js';
import { createInMemoryAuditStore } from '../audit/create-in-memory-audit-store.js';
import { verifyAuditChain } from '../audit/verify-audit-chain.js';
import { createInMemoryKeyStore } from '../keys/create-in-memory-key-store.js';
import { createKeyManager } from '../keys/create-key-manager.js';
import { audit } from './audit.js';
import { authenticate } from './authenticate.js';
import { requirePermission } from './require-permission.js';
import { requireSecurityLevel } from './require-security-level.js';

describe('audit middleware', () => {
  it('chains every change and every refusal, with actor, outcome and status, and never the key', async () => {
    const store = createInMemoryAuditStore();
    const log = createAuditLog({ store });
    const keys = createKeyManager({ store: createInMemoryKeyStore() });
    const writer = await keys.create({ name: 'w', roles: ['writer'] });
    const reader = await keys.create({ name: 'r', roles: ['reader'] });
    const app = new Hono();
    app.use('*', audit({ log }));
    app.use('*', authenticate({ keys }));
    app.post('/v3/memories/add/', requirePermission('memory:write'), (c) => c.json({ ok: true }));
    app.get('/v3/memories/', (c) => c.json([]));

    await app.request('/v3/memories/add/', { method: 'POST', headers: { authorization: `Token ${writer.key}` } });
    await app.request('/v3/memories/add/', { method: 'POST', headers: { authorization: `Token ${reader.key}` } });
    await app.request('/v3/memories/add/', { method: 'POST', headers: { authorization: 'Token nope' } });
    await app.request('/v3/memories/', { headers: { authorization: `Token ${reader.key}` } }); // a read: not recorded
    await log.flush();

    const entries = [...(await store.list())];
    expect(entries.map(({ actor, outcome, status, action }) => ({ actor, outcome, status, action }))).toEqual([
      { actor: writer.record.id, outcome: 'success', status: 200, action: 'POST /v3/memories/add/' },
      { actor: reader.record.id, outcome: 'denied', status: 403, action: 'POST /v3/memories/add/' },
      { actor: 'anonymous', outcome: 'denied', status: 401, action: 'POST /v3/memories/add/' },
    ]);
    expect(entries[0]).toMatchObject({ authMethod: 'api_key', details: { keyPrefix: writer.record.prefix } });
    expect(JSON.stringify(entries)).not.toContain(writer.key);
    expect(verifyAuditChain(entries).ok).toBe(true);
  });
});

describe('requireSecurityLevel', () => {
  it('applies the level chosen per request after an optional authenticate', async () => {
    const keys = createKeyManager({ store: createInMemoryKeyStore() });
    const reader = await keys.create({ name: 'r', roles: ['reader'] });
    const app = new Hono();
    app.use('*', authenticate({ keys, optional: true }));
    app.get('/:pool', requireSecurityLevel({ policy: (c) => ({ level: c.req.param('pool') === 'open' ? 'public' : 'rbac' }), permission: 'memory:read' }), (c) => c.text('ok'));
    app.post('/:pool', requireSecurityLevel({ policy: { level: 'rbac' }, permission: 'memory:write' }), (c) => c.text('ok'));
    const auth = { headers: { authorization: `Token ${reader.key}` } };
    expect((await app.request('/open')).status).toBe(200);
    expect((await app.request('/closed')).status).toBe(401);
    expect((await app.request('/closed', auth)).status).toBe(200);
    expect((await app.request('/closed', { method: 'POST', ...auth })).status).toBe(403);
  });
});
