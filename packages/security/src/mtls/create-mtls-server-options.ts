import type { ServerOptions } from 'node:https';

/** Options of {@link createMtlsServerOptions}. PEM strings or buffers. */
export interface MtlsServerOptions {
  /** The server's certificate chain. */
  cert: string | Buffer;
  /** The server's private key. */
  key: string | Buffer;
  /** The CA(s) that sign client certificates. Only these are trusted: the system store is not used. */
  clientCa: string | Buffer | readonly (string | Buffer)[];
  /** Certificate revocation list(s) of the client CA: a revoked client certificate does not verify. */
  crl?: string | Buffer | readonly (string | Buffer)[];
  /** Lowest TLS version. Default `TLSv1.2`. */
  minVersion?: 'TLSv1.2' | 'TLSv1.3';
  /**
   * Whether a missing or unverified client certificate fails the handshake. Default true. With false
   * the certificate is still asked for and verified, but the connection goes on with
   * `socket.authorized === false`: refuse it in the app with `verifyClientCertificate`, which answers
   * 401 with the reason (so it can be audited).
   */
  rejectAtHandshake?: boolean;
}

/**
 * Options for `https.createServer` (or `@hono/node-server`'s `serverOptions`) that require a client
 * certificate signed by the configured CA: `requestCert` and `rejectUnauthorized`, so an unverified
 * client never reaches the app (ASVS 12.1.3). Map the verified certificate with `principalFromCertificate`.
 */
export function createMtlsServerOptions({ cert, key, clientCa, crl, minVersion = 'TLSv1.2', rejectAtHandshake = true }: MtlsServerOptions): ServerOptions {
  return {
    cert,
    key,
    ca: Array.isArray(clientCa) ? [...clientCa] : (clientCa as string | Buffer),
    ...(crl === undefined ? {} : { crl: Array.isArray(crl) ? [...crl] : (crl as string | Buffer) }),
    requestCert: true,
    rejectUnauthorized: rejectAtHandshake,
    minVersion,
  };
}
