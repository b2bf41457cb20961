import { andFilters, parseMemoryFilter, scopeFilter } from '@memgate/core';
import { expect } from 'vitest';
import type { MemoryProviderFactory, MemoryProviderTestFunction, MemoryProviderTestSuiteOptions } from './memory-provider-test-suite-options.js';
import { defineSuiteArea, freshScope } from './suite-tools.js';

const unrelated = ['Bought apples at the market', 'My cat sleeps all day long', 'The train was late again this morning', 'Planted tomatoes in the garden'];

/** search(): ranking sanity, topK, threshold, scope and filters, scores in [0, 1] best first. */
export function searchTests(test: MemoryProviderTestFunction, createProvider: MemoryProviderFactory, options?: MemoryProviderTestSuiteOptions): void {
  const it = defineSuiteArea(test, createProvider, options);

  it('search: the memory that contains the query words ranks above unrelated ones', async ({ provider, eventually }) => {
    const scope = freshScope();
    const [target] = await provider.add([{ ...scope, memory: 'I attended a quantum physics lecture today' }, ...unrelated.map((memory) => ({ ...scope, memory }))]);
    await eventually(async () => {
      const results = await provider.search({ query: 'quantum physics lecture', filter: scopeFilter(scope) });
      expect(results[0]?.id).toBe(target!.id);
    });
  });

  it('search: results carry the full stored record', async ({ provider, eventually }) => {
    const scope = freshScope(['userId', 'agentId']);
    const [target] = await provider.add([{ ...scope, memory: 'Favourite mountain is Kilimanjaro', metadata: { kind: 'travel', rank: 1 } }]);
    await eventually(async () => {
      const [result] = await provider.search({ query: 'Kilimanjaro mountain', filter: scopeFilter(scope) });
      const { score: _score, ...record } = result!;
      expect(record).toEqual(target);
    });
  });

  it('search: returns at most topK results', async ({ provider, eventually }) => {
    const scope = freshScope();
    await provider.add([1, 2, 3, 4, 5, 6].map((n) => ({ ...scope, memory: `zebra sighting number ${n}` })));
    await eventually(async () => {
      expect(await provider.search({ query: 'zebra sighting', filter: scopeFilter(scope), topK: 3 })).toHaveLength(3);
      expect(await provider.search({ query: 'zebra sighting', filter: scopeFilter(scope), topK: 1 })).toHaveLength(1);
    });
  });

  it('search: scores are in [0, 1] and never increase down the list', async ({ provider, eventually }) => {
    const scope = freshScope();
    await provider.add(['red apple pie recipe', 'red apple', 'apple', 'banana bread', 'apple pie with red apple jam'].map((memory) => ({ ...scope, memory })));
    await eventually(async () => {
      const results = await provider.search({ query: 'red apple pie', filter: scopeFilter(scope) });
      expect(results.length).toBeGreaterThan(1);
      for (const result of results) {
        expect(result.score).toBeGreaterThanOrEqual(0);
        expect(result.score).toBeLessThanOrEqual(1);
      }
      for (let index = 1; index < results.length; index += 1) expect(results[index]!.score).toBeLessThanOrEqual(results[index - 1]!.score);
    });
  });

  it('search: no result scores below the threshold', async ({ provider, eventually }) => {
    const scope = freshScope();
    await provider.add(['violin lessons on Tuesday', 'violin', 'piano lessons on Friday', ...unrelated].map((memory) => ({ ...scope, memory })));
    await eventually(async () => {
      const all = await provider.search({ query: 'violin lessons Tuesday', filter: scopeFilter(scope), threshold: 0 });
      expect(all.length).toBeGreaterThan(0);
      const threshold = all[0]!.score;
      const strict = await provider.search({ query: 'violin lessons Tuesday', filter: scopeFilter(scope), threshold });
      expect(strict.length).toBeGreaterThan(0);
      for (const result of strict) expect(result.score).toBeGreaterThanOrEqual(threshold);
    });
  });

  it("search: never returns another scope's memories", async ({ provider, eventually, settle }) => {
    const mine = freshScope();
    const theirs = freshScope();
    const [own] = await provider.add([{ ...mine, memory: 'secret recipe for lemon cake' }]);
    await provider.add([{ ...theirs, memory: 'secret recipe for lemon cake' }, { ...theirs, memory: 'lemon cake secret recipe again' }]);
    await settle();
    await eventually(async () => {
      const results = await provider.search({ query: 'secret lemon cake recipe', filter: scopeFilter(mine) });
      expect(results.map((result) => result.id)).toEqual([own!.id]);
    });
  });

  it('search: honours a metadata filter beside the scope', async ({ provider, eventually }) => {
    const scope = freshScope();
    const [work] = await provider.add([
      { ...scope, memory: 'meeting notes about the budget', metadata: { category: 'work' } },
      { ...scope, memory: 'meeting notes about the holiday budget', metadata: { category: 'personal' } },
    ]);
    await eventually(async () => {
      const filter = andFilters(scopeFilter(scope), parseMemoryFilter({ metadata: { category: 'work' } }));
      const results = await provider.search({ query: 'meeting budget notes', filter });
      expect(results.map((result) => result.id)).toEqual([work!.id]);
    });
  });
}
