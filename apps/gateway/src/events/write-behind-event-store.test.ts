import { ConflictError } from '@memgate/core';
import { describe, expect, it } from 'vitest';
import { createInMemoryEventStore } from './create-in-memory-event-store.js';
import type { MemoryEvent } from './memory-event-store.js';
import { createWriteBehindEventStore, type BatchingMemoryEventStore } from './write-behind-event-store.js';

const event = (id: string, owner = 'key-a'): MemoryEvent => ({ id, type: 'ADD', status: 'SUCCEEDED', payload: { id }, results: [], startedAt: '2026-01-01T00:00:00.000Z', completedAt: '2026-01-01T00:00:00.001Z', owner });

/** An in-memory batching store that records each batch and can be made to fail. */
function recordingStore(): BatchingMemoryEventStore & { batches: string[][]; failing: boolean } {
  const inner = createInMemoryEventStore();
  const store = {
    batches: [] as string[][],
    failing: false,
    save: inner.save,
    get: inner.get,
    async saveMany(events: readonly MemoryEvent[]) {
      if (store.failing) throw new Error('connection refused');
      store.batches.push(events.map((saved) => saved.id));
      for (const saved of events) await inner.save(saved);
      return [];
    },
  };
  return store;
}

describe('createWriteBehindEventStore', () => {
  it('save resolves before the store is written; the events of one tick go out in one batch; get answers from the buffer meanwhile', async () => {
    const store = recordingStore();
    const events = createWriteBehindEventStore(store, { flushDelayMs: 5 });
    await Promise.all(['e1', 'e2', 'e3'].map((id) => events.save(event(id))));
    expect(store.batches).toEqual([]);
    expect(await events.get('e2', 'key-a')).toEqual(event('e2'));
    expect(await events.get('e2', 'key-b')).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(store.batches).toEqual([['e1', 'e2', 'e3']]);
    expect(events.pending).toBe(0);
    expect(await store.get('e3')).toEqual(event('e3'));
  });

  it('a failed write is put back and retried; flush writes now', async () => {
    const store = recordingStore();
    const errors: unknown[] = [];
    const events = createWriteBehindEventStore(store, { flushDelayMs: 1_000, onError: (error) => errors.push(error) });
    await events.save(event('e1'));
    store.failing = true;
    await expect(events.flush()).rejects.toThrow('connection refused');
    expect(events.pending).toBe(1);
    expect(await events.get('e1')).toEqual(event('e1'));
    store.failing = false;
    await events.flush();
    expect(store.batches).toEqual([['e1']]);
  });

  it('an id buffered for another owner is refused with ConflictError; the same owner replaces it', async () => {
    const events = createWriteBehindEventStore(recordingStore(), { flushDelayMs: 1_000 });
    await events.save(event('e1'));
    await events.save({ ...event('e1'), status: 'FAILED' });
    expect((await events.get('e1'))?.status).toBe('FAILED');
    expect(ConflictError.isInstance(await events.save(event('e1', 'intruder')).catch((error: unknown) => error))).toBe(true);
  });

  it('past maxBuffered the oldest event is dropped and reported', async () => {
    const errors: unknown[] = [];
    const events = createWriteBehindEventStore(recordingStore(), { flushDelayMs: 1_000, maxBuffered: 2, onError: (error) => errors.push(error) });
    for (const id of ['e1', 'e2', 'e3']) await events.save(event(id));
    expect(await events.get('e1')).toBeNull();
    expect(errors).toHaveLength(1);
  });
});
