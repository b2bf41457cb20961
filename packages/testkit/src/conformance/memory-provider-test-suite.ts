import { abortTests } from './abort-tests.js';
import { badInputTests } from './bad-input-tests.js';
import { concurrencyTests } from './concurrency-tests.js';
import { crudTests } from './crud-tests.js';
import { entityTests } from './entity-tests.js';
import { filterTests } from './filter-tests.js';
import { historyTests } from './history-tests.js';
import { metadataTests } from './metadata-tests.js';
import type { MemoryProviderFactory, MemoryProviderTestFunction, MemoryProviderTestSuiteOptions } from './memory-provider-test-suite-options.js';
import { paginationTests } from './pagination-tests.js';
import { scopingTests } from './scoping-tests.js';
import { searchTests } from './search-tests.js';

/**
 * The conformance suite of `MemoryProviderV1`: registers every test area with the given runner.
 * A provider is done when it passes. Call it first in the provider's test file:
 *
 * @example
 * ```ts
 * import { it } from 'vitest';
 * import { memoryProviderTestSuite } from '@memgate/testkit';
 * memoryProviderTestSuite(it, () => createMyMemoryProvider(settings));
 * ```
 *
 * @param test vitest's `it` (or any runner of the same shape)
 * @param createProvider called once per test; the provider it returns is closed after the test
 * @param options groups to switch off and legitimate differences to declare
 */
export function memoryProviderTestSuite(test: MemoryProviderTestFunction, createProvider: MemoryProviderFactory, options: MemoryProviderTestSuiteOptions = {}): void {
  const areas = [
    [options.crud, crudTests],
    [options.history, historyTests],
    [options.entities, entityTests],
    [options.search, searchTests],
    [options.filters, filterTests],
    [options.scoping, scopingTests],
    [options.pagination, paginationTests],
    [options.metadata, metadataTests],
    [options.concurrency, concurrencyTests],
    [options.abort, abortTests],
    [options.badInput, badInputTests],
  ] as const;
  for (const [enabled, area] of areas) if (enabled !== false) area(test, createProvider, options);
}
