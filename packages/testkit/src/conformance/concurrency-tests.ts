import { randomUUID } from 'node:crypto';
import { scopeFilter } from '@memgate/core';
import { expect } from 'vitest';
import type { MemoryProviderFactory, MemoryProviderTestFunction, MemoryProviderTestSuiteOptions } from './memory-provider-test-suite-options.js';
import { defineSuiteArea, freshScope, listAll, sortedIds } from './suite-tools.js';

/** Parallel writes: nothing lost, nothing doubled, no torn records. */
export function concurrencyTests(test: MemoryProviderTestFunction, createProvider: MemoryProviderFactory, options?: MemoryProviderTestSuiteOptions): void {
  const it = defineSuiteArea(test, createProvider, options);

  it('concurrency: parallel adds to one scope are all stored exactly once', async ({ provider, eventually, options }) => {
    const scope = freshScope();
    const count = options.concurrentWrites;
    const results = await Promise.all(Array.from({ length: count }, (_, index) => provider.add([{ ...scope, memory: `parallel write ${index}` }])));
    const added = results.flat();
    expect(new Set(added.map((record) => record.id)).size).toBe(count);
    await eventually(async () => {
      const stored = await listAll(provider, scopeFilter(scope));
      expect(sortedIds(stored)).toEqual(sortedIds(added));
      expect(stored.map((record) => record.memory).sort()).toEqual(added.map((record) => record.memory).sort());
    });
  });

  it('concurrency: parallel updates of one memory leave one of the written versions whole', async ({ provider, eventually }) => {
    const [added] = await provider.add([{ ...freshScope(), memory: 'version start', metadata: { version: -1 } }]);
    await eventually(async () => expect(await provider.get(added!.id)).not.toBeNull());
    const updates = await Promise.all(Array.from({ length: 10 }, (_, index) => provider.update(added!.id, { memory: `version ${index}`, metadata: { version: index } })));
    for (const [index, updated] of updates.entries()) expect(updated).toMatchObject({ memory: `version ${index}`, metadata: { version: index } });
    await eventually(async () => {
      const final = await provider.get(added!.id);
      // Text and metadata come from the same update: a record torn between two writers fails here.
      expect(final?.memory).toBe(`version ${String(final?.metadata.version)}`);
      expect(final?.metadata.version).toBeGreaterThanOrEqual(0);
    });
  });

  it('concurrency: parallel re-adds of one id with the same content store it once', async ({ provider, eventually, settle }) => {
    const scope = freshScope();
    const id = randomUUID();
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => provider.add([{ ...scope, id, memory: 'added by many' }])));
    // Every replay of an identical write is idempotent, so each call succeeds with the same record.
    for (const result of results) expect(result.status).toBe('fulfilled');
    await settle();
    await eventually(async () => expect((await listAll(provider, scopeFilter(scope))).map((record) => record.id)).toEqual([id]));
  });
}
