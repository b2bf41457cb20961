import { andFilters, matchesMemoryFilter, parseMemoryFilter, scopeFilter } from '@memgate/core';
import { expect } from 'vitest';
import { addFilterFixture, filterCases } from './filter-fixture.js';
import type { MemoryProviderFactory, MemoryProviderTestFunction, MemoryProviderTestSuiteOptions } from './memory-provider-test-suite-options.js';
import { defineSuiteArea, freshScope, sortedIds } from './suite-tools.js';

/**
 * Every operator of mem0's filter grammar (eq ne in gt gte lt lte contains icontains `*`, AND OR NOT)
 * on scope ids, times, text, metadata and memory ids. Each test adds five varied memories and checks
 * that `list()` returns exactly the ones core's `matchesMemoryFilter` selects from the same records:
 * the in-process semantics are the reference every translation (SQL, mem0 JSON) must agree with.
 */
export function filterTests(test: MemoryProviderTestFunction, createProvider: MemoryProviderFactory, options?: MemoryProviderTestSuiteOptions): void {
  const it = defineSuiteArea(test, createProvider, options);

  for (const filterCase of filterCases) {
    it(`filters: list() with ${filterCase.name} returns exactly the memories matchesMemoryFilter selects`, async ({ provider, eventually }) => {
      const scope = freshScope();
      const records = await addFilterFixture(provider, scope, async (id) => {
        await eventually(async () => expect(await provider.get(id)).not.toBeNull());
      });
      const filter = andFilters(scopeFilter(scope), parseMemoryFilter(filterCase.filter(records)));
      const expected = sortedIds(records.filter((record) => matchesMemoryFilter(record, filter)));
      // The fixture is built so that every case keeps some memories and drops others.
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(records.length);
      await eventually(async () => {
        const page = await provider.list(filter, { page: 1, pageSize: 100 });
        expect(sortedIds(page.items)).toEqual(expected);
        expect(page.total).toBe(expected.length);
      });
    });
  }
}
