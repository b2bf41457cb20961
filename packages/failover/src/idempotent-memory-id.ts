import { createHash } from 'node:crypto';

/**
 * The canonical id of the `index`-th new memory of a write sent with an idempotency key: a UUIDv8
 * (RFC 9562, custom) from SHA-256 of principal, key and index. A retry of the same request therefore
 * writes the same ids, which every provider's add treats as a replay, so a write that landed before
 * the gateway crashed (and before its key was recorded) is never stored twice.
 */
export function idempotentMemoryId(principal: string, key: string, index: number): string {
  const bytes = createHash('sha256').update(`memgate-idempotent-id\u0000${principal}\u0000${key}\u0000${index}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
