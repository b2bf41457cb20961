import { isPermission, tenantScopeSchema } from '@memgate/security';
import { z } from 'zod';

/** One client certificate identity of the config file's `tls.identities` (see `CertificateIdentity`). */
export const certificateIdentityConfigSchema = z
  .strictObject({
    /** Principal id given to the client, e.g. `svc:billing`; seen as the actor in the audit trail. */
    id: z.string().min(1, 'expected a principal id'),
    /** SHA-256 fingerprint as `openssl x509 -fingerprint -sha256` prints it (colons and case ignored). */
    fingerprint256: z.string().regex(/^([0-9a-fA-F]{2}:?){32}$/, 'expected a SHA-256 fingerprint (64 hex digits, colons allowed)').optional(),
    /** Subject common name. */
    subjectCommonName: z.string().min(1).optional(),
    /** A subjectAltName entry as Node prints it, e.g. `DNS:billing.internal` or `URI:spiffe://prod/billing`. */
    subjectAltName: z.string().regex(/^(DNS|URI|IP Address|email):.+$/, 'expected e.g. DNS:name, URI:spiffe://..., IP Address:10.0.0.1 or email:a@b').optional(),
    roles: z.array(z.string().min(1)).optional(),
    permissions: z.array(z.string().refine(isPermission, 'unknown permission')).optional(),
    scope: tenantScopeSchema.optional(),
    /** API key ids of the same principal (`admin` for the bootstrap key): a key and this certificate together are accepted only for these. */
    apiKeyIds: z.array(z.string().min(1)).optional(),
  })
  .refine((identity) => identity.fingerprint256 !== undefined || identity.subjectCommonName !== undefined || identity.subjectAltName !== undefined, {
    error: 'set at least one of fingerprint256, subjectCommonName, subjectAltName',
  });

/** The config file's `tls` section. Paths are relative to the working directory; flags and env win. */
export const tlsConfigSchema = z.strictObject({
  /** PEM file of the server's certificate (chain). */
  cert: z.string().min(1).optional(),
  /** PEM file of the server's private key. */
  key: z.string().min(1).optional(),
  /** PEM file of the CA(s) that sign client certificates: set, the gateway asks every client for one. */
  clientCa: z.string().min(1).optional(),
  /** PEM file of the client CA's certificate revocation list; re-read when it changes (see `crlCheckIntervalMs`). */
  crl: z.string().min(1).optional(),
  /** How often the revocation list file is checked for a change, in milliseconds. Default 5000. */
  crlCheckIntervalMs: z.int().min(100, 'crlCheckIntervalMs must be at least 100 (milliseconds)').max(3_600_000).optional(),
  /** `required`: a request without a verified client certificate gets 401. `optional` (default): it goes on with its API key, and each provider's security level decides. */
  clientCertificate: z.enum(['required', 'optional']).optional(),
  /** Verified client certificates to principals. */
  identities: z.array(certificateIdentityConfigSchema).optional(),
});

/** The resolved TLS settings of `memgate serve` (absolute paths). */
export interface TlsSettings {
  readonly cert: string;
  readonly key: string;
  readonly clientCa: string | undefined;
  readonly crl: string | undefined;
  /** How often `crl` is checked for a change (ms); absent: the default of `watchRevocationList`. */
  readonly crlCheckIntervalMs?: number;
  readonly clientCertificate: 'required' | 'optional';
  readonly identities: readonly z.infer<typeof certificateIdentityConfigSchema>[];
}
