import { createHash } from 'node:crypto';
import type { AuditEntry } from './audit-entry.js';
import { canonicalJson } from './canonical-json.js';

/**
 * The hash of an entry: `SHA-256(prevHash || canonicalJson(entry minus hash))`, hex. Every field but
 * `hash` itself is covered, including `seq`, `ts` and `prevHash`, so no field can change unnoticed.
 */
export function computeAuditHash(entry: Omit<AuditEntry, 'hash'> & { hash?: string }): string {
  const { hash: _ignored, ...covered } = entry;
  return createHash('sha256').update(entry.prevHash, 'utf8').update(canonicalJson(covered), 'utf8').digest('hex');
}
