import { describe, expect, it } from 'vitest';
import { admitMembers, createBehindTracker } from './behind-tracker.js';
import type { JournalEntry, PendingDelivery } from './write-journal.js';

const entry = (id: number, memoryId: string): JournalEntry => ({ id, pool: 'p', op: 'add', memoryId, version: id, payload: null, createdAt: 0, bytes: 10 });
const pending = (member: string, entryId: number, memoryId: string): PendingDelivery => ({ member, entryId, memoryId, bytes: 10 });

describe('the behind tracker', () => {
  it('indexes each member\'s pending entries by memory: which memories it misses, with counts and bytes kept as entries come and go', () => {
    const tracker = createBehindTracker();
    tracker.appended([entry(1, 'm1'), entry(2, 'm1'), entry(3, 'm2')], ['b']);
    expect(tracker.pendingMemoryIds('b').sort()).toEqual(['m1', 'm2']);
    expect([tracker.behind('b'), tracker.behindBytes('b')]).toEqual([3, 30]);
    expect(tracker.pendingFor('b', ['m1'], new Set([1, 2]))).toBe(false);
    expect(tracker.pendingFor('b', ['m1'], new Set([1]))).toBe(true);
    tracker.delivered('b', [1]);
    expect(tracker.pendingFor('b', ['m1'])).toBe(true);
    tracker.delivered('b', [2, 2]);
    expect(tracker.pendingMemoryIds('b')).toEqual(['m2']);
    expect([tracker.behind('b'), tracker.behindBytes('b')]).toEqual([1, 10]);
    tracker.cleared('b', 3);
    expect([tracker.pendingMemoryIds('b'), tracker.behind('b'), tracker.behindBytes('b')]).toEqual([[], 0, 0]);
  });

  it('reloads the per-memory view from the journal: a fresh process learns which member misses which memory', async () => {
    const tracker = createBehindTracker();
    expect(tracker.pendingFor('b', ['m1'])).toBe(false);
    tracker.refresh([{ member: 'a', entries: 0, bytes: 0, failed: 0, oldestAt: null }, { member: 'b', entries: 2, bytes: 20, failed: 0, oldestAt: 0 }]);
    expect(tracker.drifted()).toBe(true);
    await tracker.reload(async () => [pending('b', 1, 'm1'), pending('b', 2, 'm2')]);
    expect(tracker.drifted()).toBe(false);
    expect(tracker.pendingFor('b', ['m1'])).toBe(true);
    expect(tracker.pendingFor('a', ['m1'])).toBe(false);
    expect([...admitMembers(tracker, ['a', 'b'], ['m2'])]).toEqual(['a']);
  });

  it('keeps what this process appended while the fetch ran, and drops what it delivered meanwhile', async () => {
    const tracker = createBehindTracker();
    tracker.appended([entry(1, 'm1'), entry(2, 'm2')], ['a', 'b']);
    let answer!: (rows: PendingDelivery[]) => void;
    const reloading = tracker.reload(() => new Promise((resolve) => (answer = resolve)));
    // The fetch saw entries 1 and 2 pending on b; meanwhile b got entry 1 and entry 3 was appended.
    tracker.delivered('b', [1]);
    tracker.delivered('a', [1, 2]);
    tracker.appended([entry(3, 'm3')], ['a', 'b']);
    answer([pending('b', 1, 'm1'), pending('b', 2, 'm2'), pending('a', 1, 'm1'), pending('a', 2, 'm2')]);
    await reloading;
    expect(['m1', 'm2', 'm3'].map((memory) => tracker.pendingFor('b', [memory]))).toEqual([false, true, true]);
    expect(['m1', 'm2', 'm3'].map((memory) => tracker.pendingFor('a', [memory]))).toEqual([false, false, true]);
    expect([tracker.behind('a'), tracker.behind('b')]).toEqual([1, 2]);
  });

  it('admits no member for a memory whose writes every available member misses, but any for a listing', () => {
    const tracker = createBehindTracker();
    tracker.appended([entry(1, 'm1')], ['b']);
    expect([...admitMembers(tracker, ['b'], ['m1'])]).toEqual([]);
    expect([...admitMembers(tracker, ['b'])]).toEqual(['b']);
    expect([...admitMembers(tracker, ['a', 'b'], ['m1'])]).toEqual(['a']);
  });
});
