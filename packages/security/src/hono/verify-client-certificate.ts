/**
 * @module verify-client-certificate
 * Refuses, with 401 and the TLS layer's reason, a request whose connection presented a client
 * certificate that did not verify against the configured CA and revocation list (untrusted, expired,
 * revoked, ...), and, when `required`, a request whose connection presented none. Use it with a TLS
 * server that asks for a certificate without refusing the handshake (`createMtlsServerOptions({
 * rejectAtHandshake: false })`): the refusal is then an HTTP answer with a reason that an audit
 * middleware placed before it records, instead of a reset connection nobody hears of. The reason
 * (`untrusted`, `expired`, `revoked`, ...; see `clientCertificateRejection`) and OpenSSL's code are
 * left in `c.var.clientCertificateRejection` for that middleware.
 * @example app.use('*', verifyClientCertificate({ required: true }))
 */
import { AuthError } from '@memgate/core';
import type { Context, MiddlewareHandler } from 'hono';
import type { TLSSocket } from 'node:tls';
import { clientCertificateRejection } from '../mtls/client-certificate-rejection.js';
import { nodeSocket } from './node-socket.js';
import { respondToSecurityError } from './security-error-response.js';

/** Options of {@link verifyClientCertificate}. */
export interface VerifyClientCertificateOptions {
  /** Refuse a connection that presented no certificate too. Default false: certificate-less callers go on to the other factors. */
  required?: boolean;
  /** Where the TLS socket is. Default `c.env.incoming.socket` (`@hono/node-server`). */
  socket?: (c: Context) => Partial<Pick<TLSSocket, 'authorized' | 'authorizationError' | 'getPeerCertificate'>> | undefined;
}

/** Builds the client certificate check. */
export const verifyClientCertificate = ({ required = false, socket = nodeSocket }: VerifyClientCertificateOptions = {}): MiddlewareHandler =>
  async function verifyClientCertificate(c, next) {
    const denied = await respondToSecurityError(c, () => {
      const tls = socket(c);
      // Not a TLS connection (e.g. `app.request()`): the server did not ask, so nothing to check.
      if (!tls || typeof tls.getPeerCertificate !== 'function') {
        if (!required) return;
        c.set('clientCertificateRejection', { reason: 'missing' });
        throw new AuthError({ message: 'A client certificate is required: connect over TLS.' });
      }
      if (tls.authorized === true) return;
      // Node reports a missing certificate as an authorization error too; an empty peer certificate tells them apart.
      const presented = Boolean(tls.getPeerCertificate()?.fingerprint256);
      if (presented) {
        const code = tls.authorizationError === undefined || tls.authorizationError === null ? undefined : String(tls.authorizationError);
        c.set('clientCertificateRejection', clientCertificateRejection(code));
        throw new AuthError({ message: `Client certificate rejected: ${code ?? 'not verified'}.` });
      }
      if (required) {
        c.set('clientCertificateRejection', { reason: 'missing' });
        throw new AuthError({ message: 'A client certificate is required.' });
      }
    });
    if (denied) return denied;
    await next();
  };
