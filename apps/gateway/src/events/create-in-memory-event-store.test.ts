import { describe, expect, it } from 'vitest';
import { createInMemoryEventStore } from './create-in-memory-event-store.js';
import type { MemoryEvent } from './memory-event-store.js';

const event = (id: string): MemoryEvent => ({ id, owner: 'admin', type: 'ADD', status: 'SUCCEEDED', payload: {}, results: [], startedAt: '2026-01-01T00:00:00.000Z', completedAt: '2026-01-01T00:00:00.001Z' });

describe('createInMemoryEventStore', () => {
  it('returns saved events by id and null for unknown ids', async () => {
    const store = createInMemoryEventStore();
    await store.save(event('a'));
    expect(await store.get('a')).toEqual(event('a'));
    expect(await store.get('b')).toBeNull();
    expect(await store.get('a', 'admin')).toEqual(event('a'));
    // An event belongs to the key that caused it: another key's lookup finds nothing.
    expect(await store.get('a', 'someone-else')).toBeNull();
  });

  it('keeps only the newest maxEvents events', async () => {
    const store = createInMemoryEventStore({ maxEvents: 2 });
    for (const id of ['a', 'b', 'c']) await store.save(event(id));
    expect(await store.get('a')).toBeNull();
    expect(await store.get('b')).not.toBeNull();
    expect(await store.get('c')).not.toBeNull();
  });
});
