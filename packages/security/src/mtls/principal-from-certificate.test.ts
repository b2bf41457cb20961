import 'reflect-metadata';
import { X509Certificate as NodeX509Certificate, KeyObject, webcrypto } from 'node:crypto';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
import { once } from 'node:events';
import { createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import * as x509 from '@peculiar/x509';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate } from '../hono/authenticate.js';
import { requirePermission } from '../hono/require-permission.js';
import { createInMemoryKeyStore } from '../keys/create-in-memory-key-store.js';
import { createKeyManager } from '../keys/create-key-manager.js';
import type { SecurityPrincipal } from '../security-principal.js';
import { createMtlsServerOptions } from './create-mtls-server-options.js';
import { principalFromCertificate, type CertificateIdentity } from './principal-from-certificate.js';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const notBefore = new Date(Date.now() - 60_000);
const notAfter = new Date(Date.now() + 24 * 3600_000);

interface Issued {
  cert: string;
  key: string;
  keys: CryptoKeyPair;
}

const pemKey = (key: CryptoKey): string => KeyObject.from(key).export({ type: 'pkcs8', format: 'pem' }) as string;
const newKeys = async (): Promise<CryptoKeyPair> => (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as CryptoKeyPair;

async function issueCa(name: string): Promise<Issued> {
  const keys = await newKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: `CN=${name}`,
    notBefore,
    notAfter,
    signingAlgorithm: algorithm,
    keys,
    extensions: [new x509.BasicConstraintsExtension(true, 0, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true)],
  });
  return { cert: cert.toString('pem'), key: pemKey(keys.privateKey), keys };
}

async function issueLeaf(ca: Issued, subject: string, altNames: x509.JsonGeneralName[], usage: string): Promise<Issued> {
  const keys = await newKeys();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: String(Math.floor(Math.random() * 1e9) + 2),
    subject: `CN=${subject}`,
    issuer: new x509.X509Certificate(ca.cert).subject,
    notBefore,
    notAfter,
    signingAlgorithm: algorithm,
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    extensions: [new x509.BasicConstraintsExtension(false), new x509.SubjectAlternativeNameExtension(altNames), new x509.ExtendedKeyUsageExtension([usage])],
  });
  return { cert: cert.toString('pem'), key: pemKey(keys.privateKey), keys };
}

let ca: Issued;
let server: Server;
let port: number;
let billing: Issued;
let unknownClient: Issued;
let rogue: Issued;
let apiKey: string;
let otherTenantKey: string;
let unboundKey: string;
let identities: CertificateIdentity[];
/** What the plain-function path saw for the last request. */
let lastPrincipal: SecurityPrincipal | null = null;

const call = (client: Issued | undefined, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> =>
  new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: 'GET', ca: ca.cert, headers, ...(client ? { cert: client.cert, key: client.key } : {}) },
      (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });

beforeAll(async () => {
  ca = await issueCa('memgate test client CA');
  const serverCert = await issueLeaf(ca, '127.0.0.1', [{ type: 'ip', value: '127.0.0.1' }], x509.ExtendedKeyUsage.serverAuth);
  billing = await issueLeaf(ca, 'billing', [{ type: 'dns', value: 'billing.internal' }], x509.ExtendedKeyUsage.clientAuth);
  unknownClient = await issueLeaf(ca, 'stranger', [{ type: 'dns', value: 'stranger.internal' }], x509.ExtendedKeyUsage.clientAuth);
  rogue = await issueLeaf(await issueCa('rogue CA'), 'billing', [{ type: 'dns', value: 'billing.internal' }], x509.ExtendedKeyUsage.clientAuth);
  const keys = createKeyManager({ store: createInMemoryKeyStore() });
  const hybrid = await keys.create({ name: 'hybrid', roles: ['writer'] });
  const other = await keys.create({ name: 'other', roles: ['writer'], scope: { appId: 'shop' } });
  apiKey = hybrid.key;
  otherTenantKey = other.key;
  unboundKey = (await keys.create({ name: 'unbound', roles: ['writer'] })).key;
  identities = [
    { id: 'svc:billing', subjectAltName: 'DNS:billing.internal', subjectCommonName: 'billing', roles: ['reader'], scope: { appId: 'billing' }, apiKeyIds: [hybrid.record.id, other.record.id] },
    { id: 'svc:pinned', fingerprint256: new NodeX509Certificate(unknownClient.cert).fingerprint256.toLowerCase(), roles: ['auditor'] },
  ];

  const app = new Hono();
  app.use('/hono/*', authenticate({ keys, certificates: { identities } }));
  app.get('/hono/read', requirePermission('memory:read'), (c) => c.json(c.get('principal')));

  server = createServer(createMtlsServerOptions({ cert: serverCert.cert, key: serverCert.key, clientCa: ca.cert }), async (req, res) => {
    if (req.url?.startsWith('/hono/')) {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
      const response = await app.request(req.url, { headers }, { incoming: req });
      res.writeHead(response.status, { 'content-type': 'application/json' });
      res.end(await response.text());
      return;
    }
    lastPrincipal = principalFromCertificate(req.socket as TLSSocket, { identities });
    res.end(JSON.stringify(lastPrincipal));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  server.close();
});

describe('mTLS identities over a real TLS connection', () => {
  it('maps a CA-signed client certificate to its principal by SAN and CN', async () => {
    const { status } = await call(billing, '/');
    expect(status).toBe(200);
    expect(lastPrincipal).toMatchObject({ id: 'svc:billing', authMethods: ['mtls'], permissions: ['memory:read'], scope: { appId: 'billing' } });
  });

  it('maps a certificate pinned by fingerprint (case and colons ignored)', async () => {
    await call(unknownClient, '/');
    expect(lastPrincipal).toMatchObject({ id: 'svc:pinned', permissions: ['audit:read', 'provider:view_metrics'] });
  });

  it('refuses the handshake without a client certificate', async () => {
    await expect(call(undefined, '/')).rejects.toThrow();
  });

  it('refuses the handshake for a certificate from another CA, even with the same subject', async () => {
    await expect(call(rogue, '/')).rejects.toThrow();
  });

  it('gives no principal for an unverified socket, whatever its certificate says', () => {
    const socket = { authorized: false, getPeerCertificate: () => ({ subject: { CN: 'billing' }, subjectaltname: 'DNS:billing.internal', fingerprint256: 'AA' }) };
    expect(principalFromCertificate(socket as unknown as TLSSocket, { identities })).toBeNull();
  });

  it('the Hono authenticate middleware reads the certificate from the Node socket', async () => {
    const response = await call(billing, '/hono/read');
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ id: 'svc:billing', authMethods: ['mtls'] });
  });

  it('a key plus a certificate yields a hybrid principal: the key identity with both factors', async () => {
    const response = await call(billing, '/hono/read', { authorization: `Token ${apiKey}` });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ authMethods: ['api_key', 'mtls'], certificateId: 'svc:billing', roles: ['writer'], scope: { appId: 'billing' } });
  });

  it('refuses with 403 a valid key and a valid certificate of two different principals', async () => {
    const response = await call(billing, '/hono/read', { authorization: `Token ${unboundKey}` });
    expect(response.status).toBe(403);
    expect(JSON.parse(response.body).detail).toMatch(/different principals/);
  });

  it('refuses with 403 a key and a certificate bound to different tenants', async () => {
    const response = await call(billing, '/hono/read', { authorization: `Token ${otherTenantKey}` });
    expect(response.status).toBe(403);
  });

  it('a verified certificate that matches no identity gets 401 from the middleware', async () => {
    const stranger = await issueLeaf(ca, 'nobody', [{ type: 'dns', value: 'nobody.internal' }], x509.ExtendedKeyUsage.clientAuth);
    const response = await call(stranger, '/hono/read');
    expect(response.status).toBe(401);
    expect(JSON.parse(response.body)).toEqual({ detail: expect.any(String) });
  });
});
