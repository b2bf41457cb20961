import type { PeerCertificate, TLSSocket } from 'node:tls';
import type { RoleRegistry } from '../rbac/create-role-registry.js';
import { createRoleRegistry } from '../rbac/create-role-registry.js';
import type { TenantScope } from '../scope/tenant-scope.js';
import type { SecurityPrincipal } from '../security-principal.js';

/**
 * One known client certificate identity. Set one or more matchers; all set ones must match.
 * Prefer `fingerprint256` (pins one certificate) or a SAN (survives re-issuing).
 */
export interface CertificateIdentity {
  /** Principal id given to the client, e.g. `svc:billing`. */
  id: string;
  /** SHA-256 fingerprint as Node prints it (`AB:CD:...`), case and colons ignored. */
  fingerprint256?: string;
  /** Subject common name. */
  subjectCommonName?: string;
  /** A subjectAltName entry as Node prints it, e.g. `DNS:billing.internal` or `URI:spiffe://prod/billing`. */
  subjectAltName?: string;
  /** Role names. Default none. */
  roles?: readonly string[];
  /** Extra permissions. */
  permissions?: readonly string[];
  /** Tenant binding. */
  scope?: TenantScope;
  /**
   * Ids of the API keys that belong to this same principal (`admin` for the bootstrap key). A request
   * presenting a key and this certificate is refused (403) unless the key is one of these: two valid
   * credentials of two principals are no proof of either. Default none.
   */
  apiKeyIds?: readonly string[];
}

/** Options of {@link principalFromCertificate}. */
export interface CertificatePrincipalOptions {
  identities: readonly CertificateIdentity[];
  /** Resolves role names. Default the built-in roles. */
  roles?: RoleRegistry;
}

const normaliseFingerprint = (text: string): string => text.replace(/:/g, '').toUpperCase();

/**
 * Maps a TLS socket's client certificate to a principal, but only when the TLS layer verified it
 * against the configured CA (`socket.authorized`): an unverified certificate's subject is just text
 * the client chose. Returns `null` for no certificate, an unverified one, or one that matches no identity.
 */
export function principalFromCertificate(socket: Pick<TLSSocket, 'authorized' | 'getPeerCertificate'> | undefined, { identities, roles = createRoleRegistry() }: CertificatePrincipalOptions): SecurityPrincipal | null {
  if (!socket || socket.authorized !== true || typeof socket.getPeerCertificate !== 'function') return null;
  const certificate: PeerCertificate = socket.getPeerCertificate();
  if (!certificate || !certificate.fingerprint256) return null;
  const altNames = (certificate.subjectaltname ?? '').split(',').map((name) => name.trim()).filter(Boolean);
  const identity = identities.find((candidate) => {
    const checks = [
      candidate.fingerprint256 === undefined || normaliseFingerprint(candidate.fingerprint256) === normaliseFingerprint(certificate.fingerprint256),
      candidate.subjectCommonName === undefined || certificate.subject?.CN === candidate.subjectCommonName,
      candidate.subjectAltName === undefined || altNames.includes(candidate.subjectAltName),
    ];
    const hasMatcher = candidate.fingerprint256 !== undefined || candidate.subjectCommonName !== undefined || candidate.subjectAltName !== undefined;
    return hasMatcher && checks.every(Boolean);
  });
  if (!identity) return null;
  return {
    id: identity.id,
    roles: identity.roles ?? [],
    permissions: roles.resolve(identity.roles ?? [], identity.permissions ?? []),
    authMethods: ['mtls'],
    apiKeyIds: identity.apiKeyIds ?? [],
    ...(identity.scope ? { scope: identity.scope } : {}),
  };
}
