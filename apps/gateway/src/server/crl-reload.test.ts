import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callOverTls, type ClientCredentials } from '../testing/call-over-tls.js';
import { createTestPki, type TestCertificate, type TestPki } from '../testing/create-test-pki.js';
import { spawnMemgate, type SpawnedMemgate } from '../testing/spawn-memgate.js';

/**
 * A running `memgate serve --tls-crl` picks up a republished revocation list without a restart:
 * every call below is a fresh TLS handshake with a real client certificate.
 */

const adminKey = 'crl-reload-admin-key-0123456789abcdefgh';

let pki: TestPki;
let gateway: SpawnedMemgate;
let alice: TestCertificate;
let bob: TestCertificate;

const at = (client?: ClientCredentials) => callOverTls(`${gateway.url}/v1/ping/`, { ca: pki.ca.cert, apiKey: adminKey, ...(client ? { client } : {}) });

/** Calls until `done` holds for the answer (10 s at most); returns the last answer. */
async function until(call: () => ReturnType<typeof at>, done: (answer: Awaited<ReturnType<typeof at>>) => boolean) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const answer = await call();
    if (done(answer) || Date.now() > deadline) return answer;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  pki = await createTestPki();
  alice = await pki.issueClient('alice');
  bob = await pki.issueClient('bob');
  const directory = mkdtempSync(join(tmpdir(), 'memgate-crl-reload-'));
  const config = join(directory, 'memgate.json');
  writeFileSync(config, JSON.stringify({ tls: { crlCheckIntervalMs: 200 } }));
  gateway = await spawnMemgate({ MEMGATE_ADMIN_KEY: adminKey, MEMGATE_DATA_DIR: join(directory, 'data'), MEMGATE_MEMORY_URL: 'pglite://memory', MEMGATE_SHED_EVENT_LOOP_DELAY_MS: '0' }, [
    '--config', config, '--tls-cert', pki.server.certPath, '--tls-key', pki.server.keyPath, '--tls-client-ca', pki.ca.certPath, '--tls-crl', pki.crlPath,
  ]);
}, 90_000);

afterAll(async () => gateway?.stop());

describe('memgate serve reloads its certificate revocation list', () => {
  it('refuses a certificate revoked after start on the next connection, with the reason in the audit trail', async () => {
    expect((await at(alice)).status).toBe(200);
    await pki.revoke(alice);
    const refused = await until(() => at(alice), (answer) => answer.status !== 200);
    expect(refused).toEqual({ status: 401, body: { detail: 'Client certificate rejected: CERT_REVOKED.' } });
    expect((await at(bob)).status).toBe(200);
    expect(gateway.output()).toMatch(/"msg":"TLS revocation list reloaded"/);
    // The refusal is audited with its reason (written off the request path: read until it is there).
    const revoked = await until(
      () => callOverTls(`${gateway.url}/providers/security/audit?limit=1000`, { ca: pki.ca.cert, apiKey: adminKey }),
      (answer) => (answer.body.entries as any[]).some((entry) => entry.details?.certificateRejection === 'revoked'),
    );
    expect((revoked.body.entries as any[]).find((entry) => entry.details?.certificateRejection === 'revoked')).toMatchObject({
      action: 'auth.failure',
      outcome: 'denied',
      status: 401,
      details: { certificateRejection: 'revoked', certificateError: 'CERT_REVOKED' },
    });
  }, 60_000);

  it('keeps the previous list when the file does not load, and takes the next good one', async () => {
    const good = join(pki.directory, 'crl-good.pem');
    copyFileSync(pki.crlPath, good);
    writeFileSync(pki.crlPath, '-----BEGIN X509 CRL-----\ntruncated');
    const warned = /"msg":"TLS revocation list not reloaded: kept the previous one"/;
    for (const deadline = Date.now() + 10_000; !warned.test(gateway.output()) && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(gateway.output()).toMatch(warned);
    // Still the list that revokes alice, still a server that lets bob in.
    expect((await at(alice)).status).toBe(401);
    expect((await at(bob)).status).toBe(200);
    // The good list back, then bob revoked: the next list that loads is taken.
    copyFileSync(good, pki.crlPath);
    await pki.revoke(bob);
    expect(await until(() => at(bob), (answer) => answer.status !== 200)).toEqual({ status: 401, body: { detail: 'Client certificate rejected: CERT_REVOKED.' } });
    expect((await at(alice)).status).toBe(401);
  }, 60_000);
});
