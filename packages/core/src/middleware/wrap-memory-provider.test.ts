import { describe, expect, it } from 'vitest';
import type { MemoryProviderV1 } from '../v1/memory-provider-v1.js';
import type { MemoryRecord } from '../v1/memory-record.js';
import type { MemoryProviderV1Middleware } from './memory-provider-middleware.js';
import { wrapMemoryProvider } from './wrap-memory-provider.js';

const record = (id: string): MemoryRecord => ({ id, memory: `text ${id}`, userId: 'u', metadata: {}, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' }) as MemoryRecord;

function recordingProvider(calls: string[]): MemoryProviderV1 {
  return {
    specificationVersion: 'v1',
    name: 'inner',
    type: 'test',
    capabilities: { vectorSearch: false, fullTextSearch: true, history: true, metadataFilters: true, callerIds: true, batchWrites: true, inference: false } as MemoryProviderV1['capabilities'],
    add: async (records) => (calls.push('add'), records.map((_, index) => record(String(index)))),
    get: async (id) => (calls.push(`get ${id}`), record(id)),
    list: async () => (calls.push('list'), { items: [], total: 0 }),
    search: async () => (calls.push('search'), []),
    update: async (id) => (calls.push(`update ${id}`), record(id)),
    delete: async (id) => void calls.push(`delete ${id}`),
    deleteAll: async () => (calls.push('deleteAll'), { deleted: 0 }),
    history: async () => (calls.push('history'), []),
    probe: async () => (calls.push('probe'), { latencyMs: 1 }),
    close: async () => void calls.push('close'),
  };
}

describe('wrapMemoryProvider', () => {
  it('forwards every operation a middleware leaves out, and keeps name, type and capabilities', async () => {
    const calls: string[] = [];
    const inner = recordingProvider(calls);
    const wrapped = wrapMemoryProvider(inner, { name: 'nothing' });
    expect([wrapped.specificationVersion, wrapped.name, wrapped.type, wrapped.capabilities]).toEqual(['v1', 'inner', 'test', inner.capabilities]);
    const { get, delete: remove, probe, close } = wrapped; // no `this` needed
    await get('a');
    await remove('b');
    await probe();
    await close();
    expect(calls).toEqual(['get a', 'delete b', 'probe', 'close']);
  });

  it('lets a hook change the arguments and the result, and runs a list outermost first', async () => {
    const calls: string[] = [];
    const order: string[] = [];
    const tag = (label: string): MemoryProviderV1Middleware => ({
      get: async (next, id, options) => {
        order.push(`${label} before`);
        const found = await next(`${id}+${label}`, options);
        order.push(`${label} after`);
        return found && { ...found, memory: `${found.memory} ${label}` };
      },
    });
    const wrapped = wrapMemoryProvider(recordingProvider(calls), [tag('outer'), tag('inner')]);
    const found = await wrapped.get('x');
    expect(calls).toEqual(['get x+outer+inner']);
    expect(order).toEqual(['outer before', 'inner before', 'inner after', 'outer after']);
    expect(found?.memory).toBe('text x+outer+inner inner outer');
  });

  it('gives a middleware made by a function the provider it wraps, so a hook can call other operations', async () => {
    const calls: string[] = [];
    const wrapped = wrapMemoryProvider(recordingProvider(calls), (inner) => ({ delete: async (next, id, options) => (await inner.get(id, options), next(id, options)) }));
    await wrapped.delete('m');
    expect(calls).toEqual(['get m', 'delete m']);
  });

  it('forwards close unless a middleware replaces it', async () => {
    const calls: string[] = [];
    await wrapMemoryProvider(recordingProvider(calls), { close: async () => undefined }).close();
    expect(calls).toEqual([]);
    await wrapMemoryProvider(recordingProvider(calls), {}).close();
    expect(calls).toEqual(['close']);
  });

  it('forwards the optional aggregateEntities through a layer that hooks it or restricts no listing, and hides it behind one that hooks list alone', async () => {
    const calls: string[] = [];
    const inner: MemoryProviderV1 = { ...recordingProvider(calls), aggregateEntities: async () => (calls.push('aggregateEntities'), []) };
    await wrapMemoryProvider(inner, { name: 'timing', get: (next, id, options) => next(id, options) }).aggregateEntities!({ type: 'and', filters: [] });
    await wrapMemoryProvider(inner, { name: 'hooked', aggregateEntities: (next, filter, options) => (calls.push('hook'), next(filter, options)) }).aggregateEntities!({ type: 'and', filters: [] });
    expect(calls).toEqual(['aggregateEntities', 'hook', 'aggregateEntities']);
    expect(wrapMemoryProvider(inner, { name: 'scope', list: (next, filter, page, options) => next(filter, page, options) }).aggregateEntities).toBeUndefined();
    expect(wrapMemoryProvider(recordingProvider(calls), { name: 'nothing' }).aggregateEntities).toBeUndefined();
  });
});
