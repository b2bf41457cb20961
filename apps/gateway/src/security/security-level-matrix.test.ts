import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SecurityLevel } from '@memgate/registry';
import { createTestDatabase, type TestDatabase } from '@memgate/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callOverTls, type ClientCredentials } from '../testing/call-over-tls.js';
import { createTestPki, type TestCertificate, type TestPki } from '../testing/create-test-pki.js';
import { spawnMemgate, type SpawnedMemgate } from '../testing/spawn-memgate.js';

const adminKey = 'level-matrix-admin-key-0123456789abcdef';

let pki: TestPki;
let gateway: SpawnedMemgate;
let operator: TestCertificate;
let service: TestCertificate;
let providerName: string;
let keyWithoutPermission: string;
let foreignKey: string;

type Credential = 'none' | 'key' | 'key without the permission' | 'certificate' | 'both' | 'both of different principals';

const call = (path: string, options: { client?: ClientCredentials; apiKey?: string; method?: string; body?: unknown } = {}) => callOverTls(`${gateway.url}${path}`, { ca: pki.ca.cert, ...options });

/** What each credential presents. The operator's certificate is bound to the admin key; the service's certificate to no key. */
const present = (credential: Credential): { client?: ClientCredentials; apiKey?: string } =>
  ({
    none: {},
    key: { apiKey: adminKey },
    'key without the permission': { apiKey: keyWithoutPermission },
    certificate: { client: service },
    both: { apiKey: adminKey, client: operator },
    'both of different principals': { apiKey: foreignKey, client: operator },
  })[credential];

/**
 * Expected status per level and credential, for a management read of the provider (provider:view_metrics)
 * and a data-plane search (memory:read); the certificate's principal holds both permissions. Levels add
 * to the route table, which already wants a credential and the permission: so `public` still wants them.
 */
const expected: Record<SecurityLevel, Record<Credential, number>> = {
  public: { none: 401, key: 200, 'key without the permission': 403, certificate: 200, both: 200, 'both of different principals': 403 },
  api_key: { none: 401, key: 200, 'key without the permission': 403, certificate: 401, both: 200, 'both of different principals': 403 },
  rbac: { none: 401, key: 200, 'key without the permission': 403, certificate: 200, both: 200, 'both of different principals': 403 },
  mtls: { none: 401, key: 401, 'key without the permission': 403, certificate: 200, both: 200, 'both of different principals': 403 },
  hybrid: { none: 401, key: 401, 'key without the permission': 403, certificate: 401, both: 200, 'both of different principals': 403 },
};

let state: TestDatabase | undefined;
let memory: TestDatabase | undefined;
beforeAll(async () => {
  // State and memories on the PostgreSQL server: two embedded databases would cost the start seconds.
  [state, memory] = await Promise.all([createTestDatabase({ prefix: 'memgate_levels_state' }), createTestDatabase({ prefix: 'memgate_levels_memory' })]);
  pki = await createTestPki();
  operator = await pki.issueClient('operator');
  service = await pki.issueClient('search-service');
  const directory = mkdtempSync(join(tmpdir(), 'memgate-levels-'));
  const config = join(directory, 'memgate.json');
  writeFileSync(
    config,
    JSON.stringify({
      tls: {
        cert: pki.server.certPath,
        key: pki.server.keyPath,
        clientCa: pki.ca.certPath,
        identities: [
          { id: 'svc:operator', subjectCommonName: 'operator', roles: ['admin'], apiKeyIds: ['admin'] },
          { id: 'svc:search', subjectCommonName: 'search-service', roles: ['reader', 'auditor'] },
        ],
      },
    }),
  );
  gateway = await spawnMemgate({ MEMGATE_ADMIN_KEY: adminKey, MEMGATE_DATA_DIR: join(directory, 'data'), MEMGATE_STATE_URL: state!.url, MEMGATE_MEMORY_URL: memory!.url }, ['--config', config]);
  // Ready first: a PATCH re-probes the provider, which fails while it still starts.
  for (let ready = 0; ready !== 200; ) ready = (await call('/readyz')).status;
  const listed = await call('/providers', { apiKey: adminKey });
  expect(listed.status).toBe(200);
  providerName = listed.body.providers[0].name;
  keyWithoutPermission = (await call('/keys', { apiKey: adminKey, method: 'POST', body: { name: 'audit-only', roles: [], permissions: ['audit:read'] } })).body.key;
  foreignKey = (await call('/keys', { apiKey: adminKey, method: 'POST', body: { name: 'someone-else', roles: ['reader', 'auditor'] } })).body.key;
  expect([keyWithoutPermission, foreignKey]).toEqual([expect.stringMatching(/^mg_/), expect.stringMatching(/^mg_/)]);
}, 90_000);

afterAll(async () => {
  await gateway?.stop();
  await Promise.all([state?.drop(), memory?.drop()]);
});

describe('security level per provider × credential, over mTLS', () => {
  it('GET /providers shows each provider’s level (api_key by default)', async () => {
    const listed = await call('/providers', { apiKey: adminKey });
    expect(listed.body.providers).toEqual([expect.objectContaining({ name: providerName, security_level: 'api_key' })]);
  });

  for (const level of Object.keys(expected) as SecurityLevel[]) {
    it(`${level}: a management call and a data-plane call answer as the matrix says`, async () => {
      const patched = await call(`/providers/${providerName}`, { apiKey: adminKey, client: operator, method: 'PATCH', body: { security_level: level } });
      expect(patched).toMatchObject({ status: 200 });
      // The levels are re-read from the registry at most once a second.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const seen: Record<string, [number, number]> = {};
      for (const credential of Object.keys(expected[level]) as Credential[]) {
        const management = await call(`/providers/${providerName}`, present(credential));
        const data = await call('/v3/memories/search/', { ...present(credential), method: 'POST', body: { query: 'anything', filters: { user_id: 'alice' } } });
        seen[credential] = [management.status, data.status];
        // A refusal by the level names the provider whose level was not met.
        if (data.status === 401 && credential !== 'none') expect(data.body.detail).toContain(`Provider "${providerName}" requires security level ${level}`);
      }
      expect(seen).toEqual(Object.fromEntries(Object.entries(expected[level]).map(([credential, status]) => [credential, [status, status]])));
    }, 60_000);
  }
});
