import { randomUUID } from 'node:crypto';
import { ValidationError } from '@memgate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStateStore, type StateStore } from '../create-state-store.js';
import type { StoredMemoryEvent } from './drizzle-memory-event-store.js';

let store: StateStore;
beforeAll(async () => {
  store = await createStateStore({ url: 'pglite://memory' });
}, 30_000);
afterAll(() => store?.close());

const event = (owner: string, overrides: Partial<StoredMemoryEvent> = {}): StoredMemoryEvent => ({ id: randomUUID(), type: 'ADD', status: 'SUCCEEDED', payload: { text: 'a\u0000b' }, results: [{ id: 'm1' }], startedAt: '2026-12-05T00:00:00.000Z', completedAt: new Date().toISOString(), owner, ...overrides });

describe('DrizzleMemoryEventStore.saveMany', () => {
  it('keeps a batch in one call, as save would each event; ids of another owner are returned, not kept', async () => {
    const taken = event('key-b');
    await store.events.save(taken);
    const batch = [event('key-a'), event('key-a', { payload: null }), { ...taken, owner: 'key-a' }];
    expect(await store.events.saveMany(batch)).toEqual([taken.id]);
    expect(await store.events.get(batch[0]!.id, 'key-a')).toEqual({ ...batch[0], payload: { text: 'a\uFFFDb' } });
    expect((await store.events.get(batch[1]!.id))?.payload).toBeNull();
    expect((await store.events.get(taken.id))?.owner).toBe('key-b');
  });

  it('the same owner replaces its events; an id given twice keeps the last', async () => {
    const first = event('key-a');
    await store.events.saveMany([first]);
    expect(await store.events.saveMany([{ ...first, status: 'FAILED', error: 'one' }, { ...first, status: 'FAILED', error: 'two' }])).toEqual([]);
    expect(await store.events.get(first.id)).toMatchObject({ status: 'FAILED', error: 'two' });
  });

  it('a completedAt that is not a date keeps nothing of the batch', async () => {
    const good = event('key-a');
    const error = await store.events.saveMany([good, event('key-a', { completedAt: 'yesterday' })]).catch((caught: unknown) => caught);
    expect(ValidationError.isInstance(error)).toBe(true);
    expect(await store.events.get(good.id)).toBeNull();
  });
});
