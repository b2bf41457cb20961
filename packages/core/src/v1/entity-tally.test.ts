import { describe, expect, it } from 'vitest';
import { createEntityTally } from './entity-tally.js';
import type { MemoryRecord } from './memory-record.js';

const record = (id: string, scope: Partial<MemoryRecord>, createdAt: string, updatedAt = createdAt): MemoryRecord => ({ id, memory: id, metadata: {}, createdAt, updatedAt, ...scope });

describe('createEntityTally', () => {
  it('counts each scope id once per memory, keeps the first creation and the last update, and sorts by type then id', () => {
    const tally = createEntityTally();
    tally.add(record('1', { userId: 'bob', runId: 'r' }, '2026-01-02T00:00:00.000Z'));
    tally.add(record('2', { userId: 'alice', agentId: 'a' }, '2026-01-03T00:00:00.000Z', '2026-01-05T00:00:00.000Z'));
    tally.add(record('3', { userId: 'alice' }, '2026-01-01T00:00:00.000Z', '2026-01-04T00:00:00.000Z'));
    expect(tally.entities()).toEqual([
      { type: 'user', id: 'alice', memoryCount: 2, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-05T00:00:00.000Z' },
      { type: 'user', id: 'bob', memoryCount: 1, createdAt: '2026-01-02T00:00:00.000Z', updatedAt: '2026-01-02T00:00:00.000Z' },
      { type: 'agent', id: 'a', memoryCount: 1, createdAt: '2026-01-03T00:00:00.000Z', updatedAt: '2026-01-05T00:00:00.000Z' },
      { type: 'run', id: 'r', memoryCount: 1, createdAt: '2026-01-02T00:00:00.000Z', updatedAt: '2026-01-02T00:00:00.000Z' },
    ]);
  });
});
