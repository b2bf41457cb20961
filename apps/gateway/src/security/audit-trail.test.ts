import { verifyAuditChain } from '@memgate/security';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securedAdminKey, startSecuredGateway, type SecuredGateway } from '../testing/start-secured-gateway.js';

let secured: SecuredGateway;

beforeAll(async () => {
  secured = await startSecuredGateway();
}, 60_000);

afterAll(async () => secured?.close());

const entriesFor = async (requestId: string) => {
  const page = await secured.call(securedAdminKey, 'GET', '/providers/security/audit?limit=1000');
  expect(page.status).toBe(200);
  return (page.body.entries as any[]).filter((entry) => entry.request_id === requestId);
};

describe('the audit trail over HTTP', () => {
  it('records a failed authentication, a 403, an out-of-scope 404, a management change and a management read, with who, what, where and the request id', async () => {
    const reader = await secured.mintKey({ name: 'audited-reader', roles: ['reader'], scope: { user_id: 'alice' } });
    const foreign = (await secured.call(securedAdminKey, 'POST', '/v3/memories/add/', { messages: [{ role: 'user', content: 'bob only' }], user_id: 'bob', infer: false })).body.results[0].id;

    const unknownKey = await secured.call('mg_live_not-a-real-key', 'GET', '/v1/ping/', undefined, { 'x-request-id': 'audit-401' });
    const forbidden = await secured.call(reader.key, 'POST', '/v3/memories/add/', { messages: [{ role: 'user', content: 'x' }], user_id: 'alice' }, { 'x-request-id': 'audit-403' });
    const outOfScope = await secured.call(reader.key, 'GET', `/v1/memories/${foreign}/`, undefined, { 'x-request-id': 'audit-404' });
    const missing = await secured.call(reader.key, 'GET', '/v1/memories/01930000-0000-7000-8000-000000000000/', undefined, { 'x-request-id': 'audit-missing' });
    const created = await secured.call(securedAdminKey, 'POST', '/keys', { name: 'audited-new', roles: ['writer'] }, { 'x-request-id': 'audit-key' });
    const viewed = await secured.call(securedAdminKey, 'GET', '/providers/mem', undefined, { 'x-request-id': 'audit-view' });
    expect(viewed.status).toBe(200);
    expect([unknownKey.status, forbidden.status, outOfScope.status, missing.status, created.status]).toEqual([401, 403, 404, 404, 201]);
    // The out-of-scope answer is exactly the missing one.
    expect(outOfScope.body).toEqual(missing.body);

    expect(await entriesFor('audit-401')).toEqual([expect.objectContaining({ action: 'auth.failure', actor: 'anonymous', outcome: 'denied', status: 401, actor_ip: expect.stringMatching(/127\.0\.0\.1/) })]);
    expect(await entriesFor('audit-403')).toEqual([expect.objectContaining({ action: 'memory.add', outcome: 'denied', status: 403, tenant: 'userId:alice', details: expect.objectContaining({ keyPrefix: expect.stringMatching(/^mg_live_/) }) })]);
    expect(await entriesFor('audit-404')).toEqual([expect.objectContaining({ outcome: 'denied', status: 404, resource_type: 'memory', resource_id: foreign })]);
    // A memory that does not exist is no refusal: a read that found nothing leaves no entry.
    expect(await entriesFor('audit-missing')).toEqual([]);
    const keyEntries = await entriesFor('audit-key');
    expect(keyEntries).toEqual([expect.objectContaining({ action: 'key.create', actor: 'admin', outcome: 'success', status: 201, resource_type: 'api_key', resource_id: created.body.id })]);
    expect(JSON.stringify(keyEntries)).not.toContain(created.body.key.slice(-20));
    // A management read is a management call too: recorded, with the provider it looked at.
    expect(await entriesFor('audit-view')).toEqual([expect.objectContaining({ action: 'GET /providers/{name}', actor: 'admin', outcome: 'success', status: 200, resource_type: 'provider', resource_id: 'mem' })]);
    // The running gateway signs checkpoints of its chain (every 100 entries or minute, and at flush), and they match the stored entries.
    await secured.gateway.security.audit.flush();
    const checkpoints = await secured.gateway.store.audit.listCheckpoints();
    expect(checkpoints.length).toBeGreaterThan(0);
    expect(checkpoints[0]).toMatchObject({ keyId: expect.stringMatching(/^[0-9a-f]{16}$/), signature: expect.any(String) });
    const stored = await secured.gateway.store.audit.list({ limit: 10_000 });
    expect(verifyAuditChain(stored, { checkpoints })).toMatchObject({ ok: true });
    // Every entry is chained to the one before it.
    const all = (await secured.call(securedAdminKey, 'GET', '/providers/security/audit?limit=1000')).body.entries as any[];
    all.slice(1).forEach((entry, index) => expect(entry.prev_hash).toBe(all[index]!.hash));
  });

  it('pages by cursor and filters by actor, action and outcome', async () => {
    const first = await secured.call(securedAdminKey, 'GET', '/providers/security/audit?limit=2');
    expect(first.body.entries).toHaveLength(2);
    const second = await secured.call(securedAdminKey, 'GET', `/providers/security/audit?limit=2&cursor=${first.body.next_cursor}`);
    expect(second.body.entries[0].seq).toBe(first.body.entries[1].seq + 1);
    const denied = await secured.call(securedAdminKey, 'GET', '/providers/security/audit?outcome=denied&action=auth.failure');
    expect(denied.body.entries.length).toBeGreaterThan(0);
    expect(denied.body.entries.every((entry: any) => entry.outcome === 'denied' && entry.action === 'auth.failure')).toBe(true);
    expect((await secured.call(securedAdminKey, 'GET', '/providers/security/audit?colour=red')).body.field).toBe('colour');
  });
});
