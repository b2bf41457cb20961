import { describe, expect, it } from 'vitest';
import type { MemoryRecord } from '../v1/memory-record.js';
import { matchesMemoryFilter } from './matches-memory-filter.js';
import { parseMemoryFilter } from './parse-memory-filter.js';

const record: MemoryRecord = {
  id: 'm1',
  memory: 'Likes Red foxes',
  userId: 'u1',
  agentId: 'a1',
  metadata: { colour: 'red', size: 3, tags: ['x', 'y'] },
  createdAt: '2026-01-02T00:00:00.000Z',
  updatedAt: '2026-01-03T00:00:00.000Z',
};
const matches = (filter: unknown): boolean => matchesMemoryFilter(record, parseMemoryFilter(filter));

describe('matchesMemoryFilter', () => {
  it.each([
    [{ user_id: 'u1' }, true],
    [{ user_id: 'u2' }, false],
    [{ user_id: { ne: 'u2' } }, true],
    [{ user_id: { in: ['u0', 'u1'] } }, true],
    [{ run_id: '*' }, false],
    [{ agent_id: '*' }, true],
    [{ run_id: { ne: 'r' } }, true],
    [{ created_at: { gt: '2026-01-01' } }, true],
    [{ created_at: { lte: '2026-01-01' } }, false],
    [{ updated_at: { gte: '2026-01-03T00:00:00Z' } }, true],
    [{ text: { contains: 'Red' } }, true],
    [{ text: { contains: 'red' } }, false],
    [{ text: { icontains: 'red FOX' } }, true],
    [{ metadata: { colour: 'red' } }, true],
    [{ metadata: { colour: { ne: 'red' } } }, false],
    [{ metadata: { size: { gt: 2, lt: 4 } } }, true],
    [{ metadata: { tags: { contains: 'y' } } }, true],
    [{ metadata: { missing: '*' } }, false],
    [{ memory_ids: ['m0', 'm1'] }, true],
    [{ OR: [{ user_id: 'u2' }, { agent_id: 'a1' }] }, true],
    [{ AND: [{ user_id: 'u1' }, { agent_id: 'a2' }] }, false],
    [{ NOT: { user_id: 'u1' } }, false],
  ])('%j → %s', (filter, expected) => {
    expect(matches(filter)).toBe(expected);
  });
});
