import { createHash } from 'node:crypto';
import type { MemoryRecord } from '@memgate/core';

/** SHA-256 (hex) of what must agree between members: id, text, metadata and `updatedAt`. */
export function memoryContentHash(record: MemoryRecord): string {
  return createHash('sha256').update(JSON.stringify([record.id, record.memory, sortKeys(record.metadata), record.updatedAt])).digest('hex');
}

// Key order is not content: two members may return the same metadata with keys in another order.
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}
