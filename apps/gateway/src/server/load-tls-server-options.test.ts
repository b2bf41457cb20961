import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveServeSettings } from '../cli/serve-settings.js';
import { createTestPki, type TestPki } from '../testing/create-test-pki.js';
import { loadTlsServerOptions } from './load-tls-server-options.js';

let pki: TestPki;

beforeAll(async () => {
  pki = await createTestPki();
}, 30_000);

const settingsOf = (args: string[], env: Record<string, string> = {}) => resolveServeSettings(args, env, pki.directory);

describe('TLS settings of memgate serve', () => {
  it('takes flags over env over the config file, paths resolved from the working directory', async () => {
    const config = join(pki.directory, 'tls.json');
    writeFileSync(config, JSON.stringify({ tls: { cert: 'not-this.pem', key: 'gateway.key', clientCa: 'ca.pem', identities: [{ id: 'svc:a', subjectCommonName: 'a' }] } }));
    const settings = await settingsOf(['--config', config, '--tls-cert', 'gateway.pem'], { MEMGATE_TLS_CRL: 'crl.pem' });
    expect(settings.tls).toEqual({ cert: pki.server.certPath, key: pki.server.keyPath, clientCa: pki.ca.certPath, crl: pki.crlPath, clientCertificate: 'optional', identities: [{ id: 'svc:a', subjectCommonName: 'a' }] });
    expect((await settingsOf([])).tls).toBeUndefined();
  });

  it('names the setting at fault', async () => {
    await expect(settingsOf(['--tls-cert', 'gateway.pem'])).rejects.toThrow('invalid --tls-key (MEMGATE_TLS_KEY, tls.key): required with --tls-cert');
    await expect(settingsOf([], { MEMGATE_TLS_KEY: 'gateway.key' })).rejects.toThrow('invalid --tls-cert (MEMGATE_TLS_CERT, tls.cert): required with --tls-key');
    await expect(settingsOf(['--tls-client-ca', 'ca.pem'])).rejects.toThrow(/invalid --tls-cert .*client certificates need HTTPS/);
    const config = join(pki.directory, 'bad-identity.json');
    writeFileSync(config, JSON.stringify({ tls: { cert: 'gateway.pem', key: 'gateway.key', clientCa: 'ca.pem', identities: [{ id: 'svc:a', roles: ['reader'] }] } }));
    await expect(settingsOf(['--config', config])).rejects.toThrow(/tls\.identities\[0\].*set at least one of fingerprint256, subjectCommonName, subjectAltName/);
  });

  it('checks the files with X509Certificate: readable, a key that matches the certificate, a CA, a revocation list', async () => {
    const base = { cert: pki.server.certPath, key: pki.server.keyPath, clientCa: pki.ca.certPath, crl: pki.crlPath, clientCertificate: 'optional' as const, identities: [] };
    await expect(loadTlsServerOptions(base)).resolves.toMatchObject({ requestCert: true, rejectUnauthorized: false });
    await expect(loadTlsServerOptions({ ...base, clientCa: undefined, crl: undefined })).resolves.not.toHaveProperty('requestCert');
    await expect(loadTlsServerOptions({ ...base, cert: join(pki.directory, 'missing.pem') })).rejects.toThrow(/invalid --tls-cert \(MEMGATE_TLS_CERT, tls.cert\): cannot read .*missing.pem: ENOENT/);
    await expect(loadTlsServerOptions({ ...base, cert: pki.server.keyPath })).rejects.toThrow(/invalid --tls-cert .* is not a PEM certificate/);
    await expect(loadTlsServerOptions({ ...base, key: pki.ca.keyPath })).rejects.toThrow(/invalid --tls-key .* is not the private key of the certificate/);
    await expect(loadTlsServerOptions({ ...base, clientCa: pki.server.certPath })).rejects.toThrow(/invalid --tls-client-ca .* is not a CA certificate \(CN=gateway\)/);
    await expect(loadTlsServerOptions({ ...base, crl: pki.ca.certPath })).rejects.toThrow(/invalid --tls-crl .* is not a PEM certificate revocation list/);
    await expect(loadTlsServerOptions({ ...base, clientCa: undefined })).rejects.toThrow(/invalid --tls-crl .*needs --tls-client-ca/);
  });
});
