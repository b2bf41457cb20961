import { genesisHash, type AuditEntry } from './audit-entry.js';
import { computeAuditHash } from './compute-audit-hash.js';

/** The outcome of {@link verifyAuditChain}. */
export type AuditChainVerification =
  | { readonly ok: true; readonly count: number; readonly headHash: string }
  | { readonly ok: false; readonly index: number; readonly seq: number | undefined; readonly reason: 'hash-mismatch' | 'broken-link' | 'sequence-gap' };

/** Options of {@link verifyAuditChain}. */
export interface VerifyAuditChainOptions {
  /** The `prevHash` the first given entry must carry: the hash of the entry before a slice. Default the genesis hash. */
  previousHash?: string;
  /** The `seq` the first given entry must carry. Default 1 when `previousHash` is the genesis hash. */
  firstSeq?: number;
}

/**
 * Re-computes the chain and reports the first entry that does not fit: an edited entry
 * (`hash-mismatch`), a removed, inserted or reordered one (`broken-link` or `sequence-gap`).
 * @returns `index` is the position in `entries` of the first bad entry
 */
export function verifyAuditChain(entries: readonly AuditEntry[], { previousHash = genesisHash, firstSeq }: VerifyAuditChainOptions = {}): AuditChainVerification {
  let expectedPrev = previousHash;
  let expectedSeq = firstSeq ?? (previousHash === genesisHash ? 1 : entries[0]?.seq);
  for (const [index, entry] of entries.entries()) {
    if (entry.prevHash !== expectedPrev) return { ok: false, index, seq: entry.seq, reason: 'broken-link' };
    if (entry.seq !== expectedSeq) return { ok: false, index, seq: entry.seq, reason: 'sequence-gap' };
    if (computeAuditHash(entry) !== entry.hash) return { ok: false, index, seq: entry.seq, reason: 'hash-mismatch' };
    expectedPrev = entry.hash;
    expectedSeq = entry.seq + 1;
  }
  return { ok: true, count: entries.length, headHash: expectedPrev };
}
