import { matchAllFilter, type MemoryFilter, type MemoryProviderV1 } from '@memgate/core';
import { describe, expect, it } from 'vitest';
import { createInMemoryMemoryProvider } from '../in-memory/create-in-memory-memory-provider.js';
import { memoryProviderTestSuite } from './memory-provider-test-suite.js';
import type { MemoryProviderFactory } from './memory-provider-test-suite-options.js';

/** Runs the whole suite against a provider and returns the names of the tests that fail. */
async function failingTests(createProvider: MemoryProviderFactory): Promise<string[]> {
  const collected: { name: string; fn: () => Promise<void> }[] = [];
  memoryProviderTestSuite((name, fn) => collected.push({ name, fn }), createProvider);
  const failed: string[] = [];
  for (const { name, fn } of collected) await fn().catch(() => failed.push(name));
  return failed;
}

const withoutScope = (filter: MemoryFilter): MemoryFilter => {
  switch (filter.type) {
    case 'and':
    case 'or':
      return { type: filter.type, filters: filter.filters.map(withoutScope) };
    case 'not':
      return { type: 'not', filter: withoutScope(filter.filter) };
    case 'condition':
      return filter.field.kind === 'scope' ? matchAllFilter : filter;
  }
};

/** Deliberately broken wrappers of the reference provider, each with one bug a real provider might have. */
const broken: Record<string, () => MemoryProviderV1> = {
  'leaks across user ids in list and search': () => {
    const inner = createInMemoryMemoryProvider();
    return { ...inner, list: (filter, page, options) => inner.list(withoutScope(filter), page, options), search: (query, options) => inner.search({ ...query, filter: withoutScope(query.filter) }, options) };
  },
  'drops metadata on add': () => {
    const inner = createInMemoryMemoryProvider();
    return { ...inner, add: (records, options) => inner.add(records.map(({ metadata: _dropped, ...record }) => record), options) };
  },
  'ignores abort signals and deadlines': () => {
    const inner = createInMemoryMemoryProvider();
    return {
      ...inner,
      add: (records) => inner.add(records),
      get: (id) => inner.get(id),
      list: (filter, page) => inner.list(filter, page),
      search: (query) => inner.search(query),
      update: (id, patch) => inner.update(id, patch),
      delete: (id) => inner.delete(id),
      deleteAll: (scope) => inner.deleteAll(scope),
      probe: () => inner.probe(),
    };
  },
  'lists oldest first': () => {
    const inner = createInMemoryMemoryProvider();
    return {
      ...inner,
      list: async (filter, page, options) => {
        const all = await inner.list(filter, { page: 1, pageSize: 1000 }, options);
        const items = all.items.reverse().slice((page.page - 1) * page.pageSize, page.page * page.pageSize);
        return { items, total: all.total };
      },
    };
  },
};

describe('memoryProviderTestSuite catches broken providers', () => {
  it('passes the reference provider without a single failure', async () => {
    expect(await failingTests(() => createInMemoryMemoryProvider())).toEqual([]);
  });

  it('fails a provider that leaks across user ids in the scoping tests of list and search', async () => {
    const failed = await failingTests(broken['leaks across user ids in list and search']!);
    expect(failed).toEqual(
      expect.arrayContaining([
        "scoping: list() for user A never returns user B's memories",
        "scoping: search() for user A never returns user B's memories",
        "search: never returns another scope's memories",
      ]),
    );
    expect(failed).not.toContain('crud: get() returns null for an unknown id');
  });

  it('fails a provider that drops metadata in the metadata round-trip tests', async () => {
    const failed = await failingTests(broken['drops metadata on add']!);
    expect(failed).toEqual(
      expect.arrayContaining([
        'metadata: nested objects, arrays, numbers, booleans, null and empty containers round-trip',
        'metadata: a large metadata value (maxMetadataBytes, default 64 KB) round-trips',
        'filters: list() with {"metadata":{"colour":"red"}} returns exactly the memories matchesMemoryFilter selects',
      ]),
    );
    expect(failed).not.toContain('abort: add() with an already-aborted signal rejects with AbortedError and writes nothing');
  });

  it('fails a provider that ignores abort signals and deadlines in the abort tests, and only there', async () => {
    const failed = await failingTests(broken['ignores abort signals and deadlines']!);
    expect(failed).toEqual(
      expect.arrayContaining([
        'abort: add() with an already-aborted signal rejects with AbortedError and writes nothing',
        'abort: add() past its deadline rejects with ProviderTimeoutError and writes nothing',
        'abort: get(), list(), search() and probe() with an already-aborted signal reject with AbortedError',
      ]),
    );
    expect(failed.every((name) => name.startsWith('abort:'))).toBe(true);
  });

  it('fails a provider that lists oldest first in the pagination tests', async () => {
    const failed = await failingTests(broken['lists oldest first']!);
    expect(failed).toContain('pagination: pages are disjoint, cover every memory, run newest first and report the total');
    expect(failed).toContain('pagination: pageSize 1 walks every memory exactly once');
  });
});
