import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { clientCertificateRejection } from '../mtls/client-certificate-rejection.js';
import { verifyClientCertificate, type VerifyClientCertificateOptions } from './verify-client-certificate.js';

/** A tiny app whose TLS socket is `socket`, answering with what the middleware left for the audit. */
function appWith(socket: NonNullable<VerifyClientCertificateOptions['socket']>, required = false) {
  const app = new Hono();
  let seen: unknown;
  app.use('*', async (c, next) => {
    await next();
    seen = c.get('clientCertificateRejection');
  });
  app.use('*', verifyClientCertificate({ required, socket }));
  app.get('/', (c) => c.text('ok'));
  return { request: async () => ({ response: await app.request('/'), rejection: seen }) };
}

const presented = { getPeerCertificate: () => ({ fingerprint256: 'AA:BB' }) } as never;

describe('verifyClientCertificate', () => {
  it.each([
    ['CERT_REVOKED', 'revoked'],
    ['CERT_HAS_EXPIRED', 'expired'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'untrusted'],
  ])('refuses a certificate that failed with %s, leaving the reason %s for the audit trail', async (code, reason) => {
    const { response, rejection } = await appWith(() => ({ ...(presented as object), authorized: false, authorizationError: code as never }) as never).request();
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ detail: `Client certificate rejected: ${code}.` });
    expect(rejection).toEqual({ reason, code });
  });

  it('refuses a missing certificate when required (reason missing), and lets it through otherwise with no reason', async () => {
    const none = () => ({ authorized: false, authorizationError: 'UNABLE_TO_GET_ISSUER_CERT' as never, getPeerCertificate: () => ({}) as never });
    const required = await appWith(none, true).request();
    expect(required.response.status).toBe(401);
    expect(required.rejection).toEqual({ reason: 'missing' });
    const optional = await appWith(none).request();
    expect(optional.response.status).toBe(200);
    expect(optional.rejection).toBeUndefined();
  });

  it('leaves no reason on a verified certificate', async () => {
    const { response, rejection } = await appWith(() => ({ ...(presented as object), authorized: true }) as never).request();
    expect(response.status).toBe(200);
    expect(rejection).toBeUndefined();
  });
});

describe('clientCertificateRejection', () => {
  it('groups OpenSSL codes into reasons, an unknown code being untrusted', () => {
    expect(clientCertificateRejection('CERT_NOT_YET_VALID')).toEqual({ reason: 'not_yet_valid', code: 'CERT_NOT_YET_VALID' });
    expect(clientCertificateRejection('CRL_HAS_EXPIRED')).toEqual({ reason: 'revocation_unknown', code: 'CRL_HAS_EXPIRED' });
    expect(clientCertificateRejection('UNABLE_TO_GET_CRL')).toEqual({ reason: 'untrusted', code: 'UNABLE_TO_GET_CRL' });
    expect(clientCertificateRejection(undefined)).toEqual({ reason: 'untrusted' });
  });
});
