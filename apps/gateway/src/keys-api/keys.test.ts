import { describe, expect, it } from 'vitest';
import { useTestGateway } from '../testing/use-test-gateway.js';

const gateway = useTestGateway();
const asKey = (key: string) => ({ authorization: `Token ${key}` });

describe('the key lifecycle API', () => {
  it('creates a key shown once with its snake_case record, reads, rotates and revokes it', async () => {
    const created = await gateway().call('POST', '/keys', { name: 'lifecycle', roles: ['writer'], scope: { app_id: 'acme' }, allowed_ips: ['127.0.0.1/32', '::1/128'], expires_at: '2099-01-01T00:00:00Z' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ key: expect.stringMatching(/^mg_live_/), name: 'lifecycle', roles: ['writer'], permissions: [], scope: { app_id: 'acme' }, allowed_ips: ['127.0.0.1/32', '::1/128'], expires_at: '2099-01-01T00:00:00.000Z', revoked_at: null, rate_limit: null, quota: null });
    expect(Object.keys(created.body).sort()).toEqual(['allowed_ips', 'created_at', 'expires_at', 'id', 'key', 'name', 'permissions', 'prefix', 'quota', 'rate_limit', 'replaced_by', 'revoked_at', 'roles', 'scope']);
    const { id, key } = created.body;
    expect((await gateway().call('GET', `/keys/${id}`)).body).not.toHaveProperty('key');
    expect((await gateway().call('GET', '/keys')).body.keys.map((record: { id: string }) => record.id)).toContain(id);
    expect((await gateway().call('GET', '/v1/ping/', undefined, asKey(key))).status).toBe(200);

    const rotated = await gateway().call('POST', `/keys/${id}/rotate`, { grace_period_seconds: 0 });
    expect(rotated.status).toBe(201);
    expect(rotated.body.previous).toMatchObject({ id, replaced_by: rotated.body.id });
    expect((await gateway().call('GET', '/v1/ping/', undefined, asKey(key))).status).toBe(401);
    expect((await gateway().call('GET', '/v1/ping/', undefined, asKey(rotated.body.key))).status).toBe(200);
    // The old key has expired: it cannot be rotated again.
    expect((await gateway().call('POST', `/keys/${id}/rotate`, {})).status).toBe(400);

    const revoked = await gateway().call('DELETE', `/keys/${rotated.body.id}`);
    expect(revoked.body.revoked_at).not.toBeNull();
    expect((await gateway().call('GET', '/v1/ping/', undefined, asKey(rotated.body.key))).status).toBe(401);
    expect((await gateway().call('POST', `/keys/${rotated.body.id}/rotate`, {})).status).toBe(400);
  });

  it('names the field of a bad request in the API’s spelling', async () => {
    expect((await gateway().call('POST', '/keys', { name: 'x', allowed_ips: ['not-an-address'] })).body.field).toBe('allowed_ips[0]');
    expect((await gateway().call('POST', '/keys', { name: 'x', scope: { user_id: '*' } })).body.field).toBe('scope.user_id');
    expect((await gateway().call('POST', '/keys', { name: 'x', expires_at: '2001-01-01T00:00:00Z' })).body.field).toBe('expires_at');
    expect((await gateway().call('POST', '/keys', { name: 'x', roles: ['nobody'] })).body.field).toBe('roles[0]');
    expect((await gateway().call('POST', '/keys', { name: 'x', colour: 'red' })).body.field).toBe('colour');
  });

  it('lets no one grant what they do not hold, and hides keys beyond the caller’s reach', async () => {
    const manager = (await gateway().call('POST', '/keys', { name: 'manager', roles: ['key-manager', 'writer'], scope: { app_id: 'acme' } })).body;
    const wide = (await gateway().call('POST', '/keys', { name: 'wide', roles: ['editor'] })).body;
    const asManager = asKey(manager.key);
    expect((await gateway().call('POST', '/keys', { name: 'ok', roles: ['reader'], scope: { app_id: 'acme', user_id: 'alice' } }, asManager)).status).toBe(201);
    expect((await gateway().call('POST', '/keys', { name: 'no', roles: ['editor'], scope: { app_id: 'acme' } }, asManager)).status).toBe(403);
    expect((await gateway().call('POST', '/keys', { name: 'no', roles: ['reader'] }, asManager)).status).toBe(403);
    expect((await gateway().call('POST', '/keys', { name: 'no', roles: ['reader'], scope: { app_id: 'globex' } }, asManager)).status).toBe(403);
    expect((await gateway().call('POST', '/keys', { name: 'no', roles: ['admin'] })).status).toBe(403);
    expect((await gateway().call('GET', `/keys/${wide.id}`, undefined, asManager)).status).toBe(404);
    expect((await gateway().call('DELETE', `/keys/${wide.id}`, undefined, asManager)).status).toBe(404);
    // It sees the keys it could have made (acme, at most writer and key-manager), never the unbound editor.
    const seen = (await gateway().call('GET', '/keys', undefined, asManager)).body.keys as { name: string; scope: { app_id?: string } | null }[];
    expect(seen.map((record) => record.name)).toContain('ok');
    expect(seen.map((record) => record.name)).not.toContain('wide');
    expect(seen.every((record) => record.scope?.app_id === 'acme')).toBe(true);
  });
});
