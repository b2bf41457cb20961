import { scopeFilter } from '@memgate/core';
import { expect } from 'vitest';
import type { MemoryProviderFactory, MemoryProviderTestFunction, MemoryProviderTestSuiteOptions } from './memory-provider-test-suite-options.js';
import { defineSuiteArea, freshScope } from './suite-tools.js';

const day = 86_400_000;

/** list() pages: disjoint, covering everything, newest first, with the right total. */
export function paginationTests(test: MemoryProviderTestFunction, createProvider: MemoryProviderFactory, options?: MemoryProviderTestSuiteOptions): void {
  const it = defineSuiteArea(test, createProvider, options);

  it('pagination: pages are disjoint, cover every memory, run newest first and report the total', async ({ provider, eventually }) => {
    const scope = freshScope();
    const base = Date.parse('2024-01-01T00:00:00.000Z');
    // Added in a shuffled order so that insertion order cannot pass for createdAt order.
    const order = [3, 0, 6, 1, 5, 2, 4];
    const added = await provider.add(order.map((n) => ({ ...scope, memory: `memory ${n}`, createdAt: new Date(base + n * day).toISOString() })));
    const newestFirst = [...added].sort((left, right) => Date.parse(right.createdAt) - Date.parse(left.createdAt)).map((record) => record.id);
    await eventually(async () => {
      const pages = await Promise.all([1, 2, 3].map((page) => provider.list(scopeFilter(scope), { page, pageSize: 3 })));
      expect(pages.map((page) => page.items.length)).toEqual([3, 3, 1]);
      for (const page of pages) expect(page.total).toBe(7);
      expect(pages.flatMap((page) => page.items.map((record) => record.id))).toEqual(newestFirst);
    });
  });

  it('pagination: a page past the end is empty and still reports the total', async ({ provider, eventually }) => {
    const scope = freshScope();
    await provider.add([{ ...scope, memory: 'one' }, { ...scope, memory: 'two' }]);
    await eventually(async () => {
      const page = await provider.list(scopeFilter(scope), { page: 5, pageSize: 2 });
      expect(page.items).toEqual([]);
      expect(page.total).toBe(2);
    });
  });

  it('pagination: pageSize 1 walks every memory exactly once', async ({ provider, eventually }) => {
    const scope = freshScope();
    const added = await provider.add([0, 1, 2, 3].map((n) => ({ ...scope, memory: `walk ${n}`, createdAt: new Date(Date.UTC(2023, 0, 1 + n)).toISOString() })));
    await eventually(async () => {
      const seen: string[] = [];
      for (let page = 1; page <= 5; page += 1) seen.push(...(await provider.list(scopeFilter(scope), { page, pageSize: 1 })).items.map((record) => record.id));
      expect(seen).toEqual(added.map((record) => record.id).reverse());
    });
  });
}
