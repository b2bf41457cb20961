import type { MemoryRecord } from '@memgate/core';
import { describe, expect, it } from 'vitest';
import { replayOntoRecord } from './replay-onto-record.js';
import type { JournalEntry, JournalOperation } from './write-journal.js';

let nextId = 1;
const entry = (op: JournalOperation, payload: JournalEntry['payload']): JournalEntry => ({ id: nextId, pool: 'p', op, memoryId: 'm', version: nextId++, payload, createdAt: 0, bytes: 0 });
const at = (second: number): string => new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString();
const held: MemoryRecord = { id: 'm', userId: 'u', memory: 'v1', metadata: { a: 1 }, createdAt: at(0), updatedAt: at(0) };

describe('replayOntoRecord', () => {
  it('builds the record from a pending add, without its embedding, and applies later updates in order', () => {
    const replayed = replayOntoRecord(null, [entry('add', { id: 'm', userId: 'u', memory: 'v1', createdAt: at(0), embedding: [0.1] }), entry('update', { memory: 'v2', updatedAt: at(5) }), entry('update', { metadata: { b: 2 }, updatedAt: at(9) })]);
    expect(replayed).toEqual({ id: 'm', userId: 'u', memory: 'v2', metadata: { b: 2 }, createdAt: at(0), updatedAt: at(9) });
  });

  it('keeps a newer copy over an older update, and an add of a memory already held changes nothing', () => {
    const newer = { ...held, memory: 'newer', updatedAt: at(10) };
    expect(replayOntoRecord(newer, [entry('add', { id: 'm', userId: 'u', memory: 'v1', createdAt: at(0) }), entry('update', { memory: 'older', updatedAt: at(5) })])).toEqual(newer);
  });

  it('ends in null after a delete, and cannot replay an update onto a memory the member lacks', () => {
    expect(replayOntoRecord(held, [entry('update', { memory: 'v2', updatedAt: at(5) }), entry('delete', null)])).toBeNull();
    expect(replayOntoRecord(null, [entry('update', { memory: 'v2', updatedAt: at(5) })])).toBeUndefined();
    expect(replayOntoRecord(held, [])).toEqual(held);
  });
});
