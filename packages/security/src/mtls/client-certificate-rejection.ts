/**
 * Why a client certificate was refused, in words an auditor can group by: `missing` (none presented
 * where one is required), `untrusted` (not signed by the configured CA, a broken chain, a bad
 * signature, or no revocation list of the configured CA covers it), `expired`, `not_yet_valid`,
 * `revoked` (on the configured CA's revocation list), `revocation_unknown` (the revocation list itself
 * is out of date: the operator's to fix, not the client's).
 */
export type ClientCertificateRejectionReason = 'missing' | 'untrusted' | 'expired' | 'not_yet_valid' | 'revoked' | 'revocation_unknown';

/** A refused client certificate: the reason, and OpenSSL's code when the TLS layer gave one. */
export interface ClientCertificateRejection {
  readonly reason: ClientCertificateRejectionReason;
  /** e.g. `CERT_REVOKED`, `CERT_HAS_EXPIRED`, `UNABLE_TO_VERIFY_LEAF_SIGNATURE`. */
  readonly code?: string;
}

const reasonByCode: Readonly<Record<string, ClientCertificateRejectionReason>> = {
  CERT_REVOKED: 'revoked',
  CERT_HAS_EXPIRED: 'expired',
  CERT_NOT_YET_VALID: 'not_yet_valid',
  CRL_HAS_EXPIRED: 'revocation_unknown',
  CRL_NOT_YET_VALID: 'revocation_unknown',
};

/**
 * The reason of a verification error as Node reports it (`socket.authorizationError`, an OpenSSL
 * `X509_V_ERR_*` name without the prefix). Any code not named above means the certificate did not
 * chain to a trusted CA the way it must: `untrusted`.
 */
export function clientCertificateRejection(code: string | undefined): ClientCertificateRejection {
  return { reason: (code && reasonByCode[code]) || 'untrusted', ...(code ? { code } : {}) };
}
