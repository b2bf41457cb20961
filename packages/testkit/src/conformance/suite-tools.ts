import { randomUUID } from 'node:crypto';
import { matchAllFilter, type MemoryFilter, type MemoryProviderV1, type MemoryRecord, type MemoryScope } from '@memgate/core';
import { expect } from 'vitest';
import type { MemoryProviderFactory, MemoryProviderTestFunction, MemoryProviderTestSuiteOptions, ResolvedTestSuiteOptions } from './memory-provider-test-suite-options.js';
import { resolveTestSuiteOptions } from './memory-provider-test-suite-options.js';

/** What one test body gets: the provider, the resolved options and the timing helpers. */
export interface SuiteTestContext {
  readonly provider: MemoryProviderV1;
  readonly options: ResolvedTestSuiteOptions;
  /** Retries `assertion` until it passes or `eventualConsistencyMs` has passed. */
  eventually<T>(assertion: () => Promise<T>): Promise<T>;
  /** Waits `eventualConsistencyMs`, before checking that something did not happen. */
  settle(): Promise<void>;
}

/** Registers tests of one area; each body gets a provider that is closed after it. */
export function defineSuiteArea(test: MemoryProviderTestFunction, createProvider: MemoryProviderFactory, suiteOptions: MemoryProviderTestSuiteOptions | undefined) {
  const options = resolveTestSuiteOptions(suiteOptions);
  return (name: string, body: (context: SuiteTestContext) => Promise<void>): void => {
    test(
      name,
      async () => {
        const provider = await createProvider();
        try {
          await body({ provider, options, eventually: (assertion) => eventually(assertion, options.eventualConsistencyMs), settle: () => sleep(options.eventualConsistencyMs) });
        } finally {
          await provider.close();
        }
      },
      options.timeoutMs,
    );
  };
}

/** Sleeps for `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => (ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve());

async function eventually<T>(assertion: () => Promise<T>, withinMs: number): Promise<T> {
  const until = Date.now() + withinMs;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() >= until) throw error;
      await sleep(Math.min(50, Math.max(1, until - Date.now())));
    }
  }
}

/** A scope of fresh random ids, so tests never collide in a shared store. */
export function freshScope(fields: readonly (keyof MemoryScope)[] = ['userId']): MemoryScope {
  return Object.fromEntries(fields.map((field) => [field, `${field}-${randomUUID()}`]));
}

/** Every memory matching a filter, page by page (bounded to 100 pages of 1000). */
export async function listAll(provider: MemoryProviderV1, filter: MemoryFilter = matchAllFilter): Promise<MemoryRecord[]> {
  const items: MemoryRecord[] = [];
  for (let page = 1; page <= 100; page += 1) {
    const result = await provider.list(filter, { page, pageSize: 1000 }, {});
    items.push(...result.items);
    if (result.items.length < 1000) break;
  }
  return items;
}

/** An error class of core, as far as the suite needs it. */
export interface ErrorClassLike<E> {
  readonly name: string;
  isInstance(error: unknown): error is E;
}

/**
 * Awaits a promise that must reject with the given core error class, and returns the error.
 * Fails with a message naming what happened instead (a resolution, or another error).
 */
export async function expectRejection<E>(promise: Promise<unknown>, errorClass: ErrorClassLike<E>, label = 'the call'): Promise<E> {
  let outcome: string;
  try {
    const value = await promise;
    outcome = `resolved with ${JSON.stringify(value)?.slice(0, 200)}`;
  } catch (error) {
    if (errorClass.isInstance(error)) return error;
    outcome = `rejected with ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
  }
  expect(outcome, `${label}: expected a rejection with ${errorClass.name}`).toBe(`rejected with ${errorClass.name}`);
  throw new Error('unreachable');
}

/** Ids of records, sorted, for set comparisons. */
export const sortedIds = (records: readonly { id: string }[]): string[] => records.map((record) => record.id).sort();
