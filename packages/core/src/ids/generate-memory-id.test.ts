import { describe, expect, it } from 'vitest';
import { generateMemoryId, isUuid } from './generate-memory-id.js';

describe('generateMemoryId', () => {
  it('makes version-7 UUIDs that sort by creation, even within one millisecond', () => {
    const ids = Array.from({ length: 5000 }, () => generateMemoryId());
    expect(ids.every(isUuid)).toBe(true);
    expect(ids.every((id) => id[14] === '7' && '89ab'.includes(id[19]!))).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('encodes the timestamp in the first 48 bits', () => {
    const id = generateMemoryId(Date.UTC(2030, 0, 1));
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBeGreaterThanOrEqual(Date.UTC(2030, 0, 1));
  });
});
