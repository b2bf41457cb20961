import type { MemoryProviderV1 } from '@memgate/core';

/**
 * The test runner the suite registers its tests with: vitest's `it`/`test` fits, and so does any
 * runner with the same shape. `timeout` is in milliseconds.
 */
export type MemoryProviderTestFunction = (name: string, fn: () => Promise<void>, timeout?: number) => void;

/**
 * Makes the provider under test. The suite calls it once per test and closes what it gets, so it
 * may return a fresh instance or a new handle on a shared backing store: every test uses fresh
 * random scope ids and never assumes that the store is empty.
 */
export type MemoryProviderFactory = () => MemoryProviderV1 | Promise<MemoryProviderV1>;

/**
 * Switches test groups off and declares the legitimate differences of a provider.
 * A group defaults to on; where a capability decides what the contract is (history), the tests
 * read `provider.capabilities` at run time and check the matching behaviour.
 */
export interface MemoryProviderTestSuiteOptions {
  /** add/get/list/update/delete/deleteAll. Default true. */
  readonly crud?: boolean;
  /** history(): ordered events, or UnsupportedCapabilityError without the capability. Default true. */
  readonly history?: boolean;
  /** `false` skips the entity listing tests (`aggregateEntities`, or the listing scan without it). */
  readonly entities?: boolean;
  /** search ranking sanity, topK, scope, scores. Default true. */
  readonly search?: boolean;
  /** Every operator of the filter grammar, checked against `matchesMemoryFilter`. Default true. */
  readonly filters?: boolean;
  /** Tenants never see each other through list, search or deleteAll. Default true. */
  readonly scoping?: boolean;
  /** list() pages: disjoint, complete, newest first, right total. Default true. */
  readonly pagination?: boolean;
  /** Metadata and text round-trip (unicode, nested JSON, large values). Default true. */
  readonly metadata?: boolean;
  /** Parallel writes to one scope and one memory. Default true. */
  readonly concurrency?: boolean;
  /** Aborted signals and passed deadlines reject and write nothing. Default true. */
  readonly abort?: boolean;
  /** Bad input gets a ValidationError naming the field. Default true. */
  readonly badInput?: boolean;
  /**
   * How long a write may take to become visible to reads, in milliseconds (a remote service that
   * indexes asynchronously). Reads that expect a write are retried for this long, and checks that
   * something was NOT written wait this long first. Default 0.
   */
  readonly eventualConsistencyMs?: number;
  /** Size of the large metadata value in the round-trip test, in bytes. Default 65,536. */
  readonly maxMetadataBytes?: number;
  /** Number of parallel adds in the concurrency test. Default 50. */
  readonly concurrentWrites?: number;
  /** Per-test timeout in milliseconds passed to the runner. Default: the runner's own. */
  readonly timeoutMs?: number;
}

/** Options with every default filled in. */
export type ResolvedTestSuiteOptions = Required<Omit<MemoryProviderTestSuiteOptions, 'timeoutMs'>> & { readonly timeoutMs: number | undefined };

/** Fills in the defaults of {@link MemoryProviderTestSuiteOptions}. */
export function resolveTestSuiteOptions(options: MemoryProviderTestSuiteOptions = {}): ResolvedTestSuiteOptions {
  // An option set to undefined keeps its default rather than erasing it.
  const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  return {
    crud: true,
    history: true,
    entities: true,
    search: true,
    filters: true,
    scoping: true,
    pagination: true,
    metadata: true,
    concurrency: true,
    abort: true,
    badInput: true,
    eventualConsistencyMs: 0,
    maxMetadataBytes: 65_536,
    concurrentWrites: 50,
    ...given,
    timeoutMs: options.timeoutMs,
  };
}
