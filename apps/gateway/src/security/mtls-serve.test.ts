import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@memgate/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callOverTls, type ClientCredentials } from '../testing/call-over-tls.js';
import { createTestPki, type TestCertificate, type TestPki } from '../testing/create-test-pki.js';
import { spawnMemgate, type SpawnedMemgate } from '../testing/spawn-memgate.js';

const adminKey = 'mtls-serve-admin-key-0123456789abcdef';

let pki: TestPki;
let gateway: SpawnedMemgate;
let admin: TestCertificate;
let billing: TestCertificate;

const call = (path: string, options: { client?: ClientCredentials; apiKey?: string; method?: string; body?: unknown } = {}) => callOverTls(`${gateway.url}${path}`, { ca: pki.ca.cert, ...options });
const auditEntries = async () => (await call('/providers/security/audit?limit=1000', { client: admin, apiKey: adminKey })).body.entries as any[];
/** Data-plane entries are written off the request path: reads the trail until `count` entries match (5 s at most). */
async function awaitEntries(match: (entry: any) => boolean, count = 1): Promise<any[]> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const found = (await auditEntries()).filter(match);
    if (found.length >= count || Date.now() > deadline) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

let databases: TestDatabase[] = [];

beforeAll(async () => {
  // The two gateways' state stores and memories on the PostgreSQL server: embedded PGlites would cost each start seconds.
  databases = await Promise.all(['state', 'memory', 'fresh_state', 'fresh_memory'].map((name) => createTestDatabase({ prefix: `memgate_mtls_${name}` })));
  pki = await createTestPki();
  admin = await pki.issueClient('operator');
  billing = await pki.issueClient('billing');
  const directory = mkdtempSync(join(tmpdir(), 'memgate-mtls-'));
  const config = join(directory, 'memgate.json');
  writeFileSync(
    config,
    JSON.stringify({
      // rbac: a certificate alone may reach it (the default, api_key, wants a key).
      providers: [{ name: 'mem', provider_type: 'postgres', connection_string: databases[1]!.url, security_level: 'rbac' }],
      tls: {
        clientCa: pki.ca.certPath,
        crl: pki.crlPath,
        clientCertificate: 'required',
        identities: [
          { id: 'svc:operator', subjectCommonName: 'operator', roles: ['admin'], apiKeyIds: ['admin'] },
          { id: 'svc:billing', subjectCommonName: 'billing', roles: ['writer'], scope: { appId: 'billing' } },
        ],
      },
    }),
  );
  gateway = await spawnMemgate({ MEMGATE_ADMIN_KEY: adminKey, MEMGATE_STATE_URL: databases[0]!.url, MEMGATE_DATA_DIR: join(directory, 'data'), MEMGATE_TLS_KEY: pki.server.keyPath }, ['--config', config, '--tls-cert', pki.server.certPath]);
}, 90_000);

afterAll(async () => {
  await gateway?.stop();
  await Promise.all(databases.map((database) => database.drop()));
});

describe('memgate serve over TLS with client certificates', () => {
  it('serves HTTPS at the URL it logs', () => {
    expect(gateway.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('refuses with 401 and a reason a connection without a client certificate, an untrusted one, an expired one and a revoked one', async () => {
    const untrusted = await pki.selfSigned('billing');
    const expired = await pki.issueClient('billing-expired', { notBefore: new Date(Date.now() - 2 * 86_400_000), notAfter: new Date(Date.now() - 86_400_000) });
    const revoked = await pki.issueClient('billing-revoked');
    await pki.revoke(revoked);
    // The CRL is read at start: a second process sees the revocation.
    const fresh = await spawnMemgate({ MEMGATE_ADMIN_KEY: adminKey, MEMGATE_DATA_DIR: mkdtempSync(join(tmpdir(), 'memgate-mtls-crl-')), MEMGATE_STATE_URL: databases[2]!.url, MEMGATE_MEMORY_URL: databases[3]!.url }, [
      '--tls-cert', pki.server.certPath, '--tls-key', pki.server.keyPath, '--tls-client-ca', pki.ca.certPath, '--tls-crl', pki.crlPath,
    ]);
    try {
      const at = (client?: ClientCredentials) => callOverTls(`${fresh.url}/v1/ping/`, { ca: pki.ca.cert, apiKey: adminKey, ...(client ? { client } : {}) });
      const [none, stranger, old, cancelled, good] = await Promise.all([at(), at(untrusted), at(expired), at(revoked), at(billing)]);
      // Without identities configured the valid certificate only adds nothing: the admin key still answers.
      expect(good.status).toBe(200);
      expect(none.status).toBe(200);
      expect(stranger).toEqual({ status: 401, body: { detail: expect.stringMatching(/Client certificate rejected: (DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_CRL)/) } });
      expect(old).toEqual({ status: 401, body: { detail: 'Client certificate rejected: CERT_HAS_EXPIRED.' } });
      expect(cancelled).toEqual({ status: 401, body: { detail: 'Client certificate rejected: CERT_REVOKED.' } });
      // Each refusal is in that gateway's audit trail (written off the request path: read until all three are there).
      const refusals = async () => ((await callOverTls(`${fresh.url}/providers/security/audit?limit=1000`, { ca: pki.ca.cert, apiKey: adminKey })).body.entries as any[]).filter((entry) => entry.action === 'auth.failure');
      let recorded = await refusals();
      for (const deadline = Date.now() + 5000; recorded.length < 3 && Date.now() < deadline; recorded = await refusals()) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(recorded).toHaveLength(3);
      expect(recorded.every((entry) => entry.outcome === 'denied' && entry.status === 401 && entry.actor === 'anonymous')).toBe(true);
      // Each with its reason, and OpenSSL's code.
      expect(recorded.map((entry) => entry.details.certificateRejection).sort()).toEqual(['expired', 'revoked', 'untrusted']);
      expect(recorded.find((entry) => entry.details.certificateRejection === 'expired').details.certificateError).toBe('CERT_HAS_EXPIRED');
    } finally {
      await fresh.stop();
    }
    // On the gateway that requires one, no certificate is refused too, however good the key.
    const missing = await call('/v1/ping/', { apiKey: adminKey });
    expect(missing).toEqual({ status: 401, body: { detail: 'A client certificate is required.' } });
    const denied = await awaitEntries((entry) => entry.action === 'auth.failure' && /^GET \/v1\/ping/.test(entry.details?.route ?? ''));
    expect(denied.length).toBeGreaterThanOrEqual(1);
    expect(denied.at(-1)).toMatchObject({ outcome: 'denied', status: 401, actor: 'anonymous', details: { certificateRejection: 'missing' } });
  }, 90_000);

  it('maps a verified certificate to its principal, seen as the actor in the audit trail', async () => {
    const added = await call('/v3/memories/add/', { client: billing, method: 'POST', body: { messages: [{ role: 'user', content: 'invoices are due on the 5th' }], app_id: 'billing', infer: false } });
    expect(added.status).toBe(200);
    const elsewhere = await call('/v3/memories/add/', { client: billing, method: 'POST', body: { messages: [{ role: 'user', content: 'x' }], app_id: 'shop', infer: false } });
    expect(elsewhere.status).toBe(403);
    const entries = await awaitEntries((entry) => entry.actor === 'svc:billing', 2);
    expect(entries).toContainEqual(expect.objectContaining({ actor: 'svc:billing', auth_method: 'mtls', outcome: 'success', action: 'memory.add', tenant: 'appId:billing' }));
    expect(entries).toContainEqual(expect.objectContaining({ actor: 'svc:billing', outcome: 'denied', status: 403 }));
  });

  it('hybrid binds the factors: a key and a certificate of one principal pass, of two principals get 403', async () => {
    const same = await call('/keys', { client: admin, apiKey: adminKey, method: 'POST', body: { name: 'reader-of-another-principal', roles: ['reader'] } });
    expect(same.status).toBe(201);
    const foreignKey = same.body.key as string;
    const foreign = await call('/v1/ping/', { client: admin, apiKey: foreignKey });
    expect(foreign).toEqual({ status: 403, body: { detail: expect.stringContaining('belong to different principals') } });
    const crossed = await call('/v1/ping/', { client: billing, apiKey: adminKey });
    expect(crossed.status).toBe(403);
    const refused = await awaitEntries((entry) => entry.status === 403 && /^GET \/v1\/ping/.test(entry.details?.route ?? ''), 2);
    expect(refused).toHaveLength(2);
    expect(refused.every((entry) => entry.outcome === 'denied')).toBe(true);
  });
});
