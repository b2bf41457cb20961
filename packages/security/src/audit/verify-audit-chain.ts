import type { AuditCheckpoint } from './audit-checkpoint.js';
import { genesisHash, type AuditEntry } from './audit-entry.js';
import { verifyAuditCheckpoint } from './create-audit-checkpoint-signer.js';
import { computeAuditHash } from './compute-audit-hash.js';

/** The outcome of {@link verifyAuditChain}. */
export type AuditChainVerification =
  | { readonly ok: true; readonly count: number; readonly headHash: string }
  | { readonly ok: false; readonly index: number; readonly seq: number | undefined; readonly reason: 'hash-mismatch' | 'broken-link' | 'sequence-gap' | 'checkpoint-mismatch' }
  | { readonly ok: false; readonly index?: undefined; readonly seq: number; readonly reason: 'bad-checkpoint-signature' | 'truncated' };

/** Options of {@link verifyAuditChain}. */
export interface VerifyAuditChainOptions {
  /** The `prevHash` the first given entry must carry: the hash of the entry before a slice. Default the genesis hash. */
  previousHash?: string;
  /** The `seq` the first given entry must carry. Default 1 when `previousHash` is the genesis hash. */
  firstSeq?: number;
  /** Signed checkpoints to hold the entries against: each must match the entry at its `seq`. */
  checkpoints?: readonly AuditCheckpoint[];
  /** The checkpoints' public key (SPKI PEM); without it their signatures are not checked. */
  publicKeyPem?: string;
}

/**
 * Re-computes the chain and reports the first entry that does not fit: an edited entry
 * (`hash-mismatch`), a removed, inserted or reordered one (`broken-link` or `sequence-gap`). With
 * `checkpoints`, each signed checkpoint must verify (`bad-checkpoint-signature`) and name the hash of
 * the entry at its `seq` (`checkpoint-mismatch`: the chain was rewritten, hashes and all, by someone
 * who could not sign), and no checkpoint may lie past the last entry (`truncated`).
 * @returns `index` is the position in `entries` of the first bad entry
 */
export function verifyAuditChain(entries: readonly AuditEntry[], { previousHash = genesisHash, firstSeq, checkpoints = [], publicKeyPem }: VerifyAuditChainOptions = {}): AuditChainVerification {
  const chain = verifyLinks(entries, previousHash, firstSeq);
  if (!chain.ok) return chain;
  const bySeq = new Map(entries.map((entry, index) => [entry.seq, index]));
  const lastSeq = entries.at(-1)?.seq ?? 0;
  for (const checkpoint of checkpoints) {
    if (publicKeyPem !== undefined && !verifyAuditCheckpoint(checkpoint, publicKeyPem)) return { ok: false, seq: checkpoint.seq, reason: 'bad-checkpoint-signature' };
    if (checkpoint.seq > lastSeq) return { ok: false, seq: checkpoint.seq, reason: 'truncated' };
    const index = bySeq.get(checkpoint.seq);
    if (index === undefined) continue; // before this slice
    if (entries[index]!.hash !== checkpoint.hash) return { ok: false, index: firstRewritten(entries, checkpoints, index), seq: entries[firstRewritten(entries, checkpoints, index)]!.seq, reason: 'checkpoint-mismatch' };
  }
  return chain;
}

/**
 * Where a rewrite that kept the chain consistent starts: just after the last checkpoint that still
 * matches, before the first that does not (the rewrite lies between them).
 */
function firstRewritten(entries: readonly AuditEntry[], checkpoints: readonly AuditCheckpoint[], mismatchIndex: number): number {
  const bySeq = new Map(entries.map((entry, index) => [entry.seq, index]));
  let start = 0;
  for (const checkpoint of checkpoints) {
    const index = bySeq.get(checkpoint.seq);
    if (index !== undefined && index < mismatchIndex && entries[index]!.hash === checkpoint.hash) start = Math.max(start, index + 1);
  }
  return start;
}

function verifyLinks(entries: readonly AuditEntry[], previousHash: string, firstSeq: number | undefined): AuditChainVerification {
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
