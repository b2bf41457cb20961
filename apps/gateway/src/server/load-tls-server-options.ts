import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { ServerOptions } from 'node:https';
import { createSecureContext } from 'node:tls';
import { createMtlsServerOptions } from '@memgate/security';
import { CliUsageError } from '../cli/cli-command.js';
import type { TlsSettings } from '../cli/tls-config-schema.js';

/** How each TLS setting is given, for error messages that name the flag, env var and config key at fault. */
const fieldNames = {
  cert: '--tls-cert (MEMGATE_TLS_CERT, tls.cert)',
  key: '--tls-key (MEMGATE_TLS_KEY, tls.key)',
  clientCa: '--tls-client-ca (MEMGATE_TLS_CLIENT_CA, tls.clientCa)',
  crl: '--tls-crl (MEMGATE_TLS_CRL, tls.crl)',
} as const;

async function readPem(field: keyof typeof fieldNames, path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new CliUsageError(`invalid ${fieldNames[field]}: cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function parse<T>(field: keyof typeof fieldNames, path: string, what: string, build: () => T): T {
  try {
    return build();
  } catch (error) {
    throw new CliUsageError(`invalid ${fieldNames[field]}: ${path} is not ${what} (${(error as Error).message})`);
  }
}

/**
 * Reads and checks the PEM files of `memgate serve`'s TLS settings and returns the options of the
 * HTTPS server. Certificates are parsed with `X509Certificate`: the server's must match its key, the
 * client CA must be a CA. With a client CA the server asks every client for a certificate and verifies
 * it (CA and revocation list) but does not fail the handshake: the app's `verifyClientCertificate`
 * answers 401 with the reason, which the audit trail records.
 * @throws CliUsageError naming the flag, env var and config key of the file at fault
 */
export async function loadTlsServerOptions(settings: TlsSettings): Promise<ServerOptions> {
  const [certPem, keyPem] = await Promise.all([readPem('cert', settings.cert), readPem('key', settings.key)]);
  const certificate = parse('cert', settings.cert, 'a PEM certificate', () => new X509Certificate(certPem));
  const privateKey: KeyObject = parse('key', settings.key, 'a PEM private key', () => createPrivateKey(keyPem));
  if (!certificate.checkPrivateKey(privateKey)) throw new CliUsageError(`invalid ${fieldNames.key}: ${settings.key} is not the private key of the certificate in ${settings.cert}`);
  if (settings.clientCa === undefined) {
    if (settings.crl !== undefined) throw new CliUsageError(`invalid ${fieldNames.crl}: a revocation list needs ${fieldNames.clientCa}`);
    return { cert: certPem, key: keyPem, minVersion: 'TLSv1.2' };
  }
  const clientCaPath = settings.clientCa;
  const clientCaPem = await readPem('clientCa', clientCaPath);
  const clientCa = parse('clientCa', clientCaPath, 'a PEM certificate', () => new X509Certificate(clientCaPem));
  if (!clientCa.ca) throw new CliUsageError(`invalid ${fieldNames.clientCa}: ${clientCaPath} is not a CA certificate (${clientCa.subject.replace(/\n/g, ', ')})`);
  let crlPem: string | undefined;
  if (settings.crl !== undefined) {
    const crlPath = settings.crl;
    crlPem = await readPem('crl', crlPath);
    // Node has no CRL parser; OpenSSL, through a secure context, is the one that reads it for the server too.
    parse('crl', crlPath, 'a PEM certificate revocation list', () => createSecureContext({ crl: crlPem }));
  }
  return createMtlsServerOptions({ cert: certPem, key: keyPem, clientCa: clientCaPem, ...(crlPem === undefined ? {} : { crl: crlPem }), rejectAtHandshake: false });
}
