/**
 * A signed checkpoint of the audit chain: the head (`seq`, `hash`) at `ts`, signed with the Ed25519
 * key `keyId` over `canonicalJson({ seq, hash, ts, keyId })`. Someone who can write the database but
 * not sign cannot rewrite the chain up to a checkpoint without `verifyAuditChain` noticing.
 */
export interface AuditCheckpoint {
  readonly seq: number;
  readonly hash: string;
  /** ISO 8601, stored and returned exactly as signed. */
  readonly ts: string;
  /** First 16 hex characters of the SHA-256 of the signing key's public key (SPKI DER). */
  readonly keyId: string;
  /** Base64 Ed25519 signature. */
  readonly signature: string;
}

/** The filters of `AuditStore.query`; all of them must match. */
export interface AuditQuery {
  readonly actor?: string;
  readonly action?: string;
  readonly outcome?: 'success' | 'failure' | 'denied';
  readonly resourceType?: string;
  readonly resourceId?: string;
  /** ISO 8601; entries whose `ts` is at or after it. */
  readonly since?: string;
  /** ISO 8601; entries whose `ts` is before it. */
  readonly until?: string;
  /** Entries with a greater `seq` (paging). */
  readonly afterSeq?: number;
  /** Default 100, at most 1000 (larger values are clamped). */
  readonly limit?: number;
}
