import { AbortedError, ProviderTimeoutError, scopeFilter, type MemoryProviderV1, type MemoryProviderV1CallOptions } from '@memgate/core';
import { expect } from 'vitest';
import type { MemoryProviderFactory, MemoryProviderTestFunction, MemoryProviderTestSuiteOptions } from './memory-provider-test-suite-options.js';
import { defineSuiteArea, expectRejection, freshScope, listAll, sortedIds } from './suite-tools.js';

const aborted = (): MemoryProviderV1CallOptions => ({ signal: AbortSignal.abort(new Error('caller gave up')) });
const expired = (): MemoryProviderV1CallOptions => ({ deadline: Date.now() - 1 });
// Thunks, so each call starts only when its rejection is awaited (no unhandled rejections).
const reads = (provider: MemoryProviderV1, options: () => MemoryProviderV1CallOptions): [string, () => Promise<unknown>][] => [
  ['get', () => provider.get('no-such-id', options())],
  ['list', () => provider.list(scopeFilter({ userId: 'nobody' }), { page: 1, pageSize: 10 }, options())],
  ['search', () => provider.search({ query: 'anything', filter: scopeFilter({ userId: 'nobody' }) }, options())],
  ['probe', () => provider.probe(options())],
];

/** An aborted signal rejects with AbortedError, a passed deadline with ProviderTimeoutError, and neither writes. */
export function abortTests(test: MemoryProviderTestFunction, createProvider: MemoryProviderFactory, options?: MemoryProviderTestSuiteOptions): void {
  const it = defineSuiteArea(test, createProvider, options);

  it('abort: add() with an already-aborted signal rejects with AbortedError and writes nothing', async ({ provider, settle }) => {
    const scope = freshScope();
    await expectRejection(provider.add([{ ...scope, memory: 'should never be stored' }], aborted()), AbortedError);
    await settle();
    expect(await listAll(provider, scopeFilter(scope))).toEqual([]);
  });

  it('abort: add() past its deadline rejects with ProviderTimeoutError and writes nothing', async ({ provider, settle }) => {
    const scope = freshScope();
    await expectRejection(provider.add([{ ...scope, memory: 'should never be stored' }], expired()), ProviderTimeoutError);
    await settle();
    expect(await listAll(provider, scopeFilter(scope))).toEqual([]);
  });

  it('abort: update(), delete() and deleteAll() with an already-aborted signal reject with AbortedError and change nothing', async ({ provider, eventually, settle }) => {
    const scope = freshScope();
    const added = await provider.add([{ ...scope, memory: 'original text' }, { ...scope, memory: 'second' }]);
    await eventually(async () => expect((await listAll(provider, scopeFilter(scope))).length).toBe(2));
    await expectRejection(provider.update(added[0]!.id, { memory: 'changed' }, aborted()), AbortedError);
    await expectRejection(provider.delete(added[0]!.id, aborted()), AbortedError);
    await expectRejection(provider.deleteAll(scope, aborted()), AbortedError);
    await settle();
    expect(await provider.get(added[0]!.id)).toEqual(added[0]);
    expect(sortedIds(await listAll(provider, scopeFilter(scope)))).toEqual(sortedIds(added));
  });

  it('abort: update(), delete() and deleteAll() past their deadline reject with ProviderTimeoutError and change nothing', async ({ provider, eventually, settle }) => {
    const scope = freshScope();
    const [added] = await provider.add([{ ...scope, memory: 'original text' }]);
    await eventually(async () => expect(await provider.get(added!.id)).not.toBeNull());
    await expectRejection(provider.update(added!.id, { memory: 'changed' }, expired()), ProviderTimeoutError);
    await expectRejection(provider.delete(added!.id, expired()), ProviderTimeoutError);
    await expectRejection(provider.deleteAll(scope, expired()), ProviderTimeoutError);
    await settle();
    expect(await provider.get(added!.id)).toEqual(added);
  });

  it('abort: get(), list(), search() and probe() with an already-aborted signal reject with AbortedError', async ({ provider }) => {
    for (const [operation, call] of reads(provider, aborted)) {
      await expectRejection(call(), AbortedError, operation);
    }
  });

  it('abort: get(), list(), search() and probe() past their deadline reject with ProviderTimeoutError', async ({ provider }) => {
    for (const [operation, call] of reads(provider, expired)) {
      await expectRejection(call(), ProviderTimeoutError, operation);
    }
  });

  it('abort: aborting add() while it runs settles promptly: either stored, or AbortedError and nothing stored', async ({ provider, eventually, settle }) => {
    const scope = freshScope();
    const controller = new AbortController();
    const call = provider.add([{ ...scope, memory: 'raced against abort' }], { signal: controller.signal });
    controller.abort(new Error('caller gave up'));
    const outcome = await Promise.race([
      call.then(
        (records) => ({ kind: 'stored' as const, records }),
        (error: unknown) => ({ kind: AbortedError.isInstance(error) ? ('aborted' as const) : ('other' as const), error }),
      ),
      new Promise<{ kind: 'hung' }>((resolve) => setTimeout(() => resolve({ kind: 'hung' }), 5_000).unref()),
    ]);
    expect(['stored', 'aborted']).toContain(outcome.kind);
    if (outcome.kind === 'stored') {
      await eventually(async () => expect(sortedIds(await listAll(provider, scopeFilter(scope)))).toEqual(sortedIds(outcome.records)));
    } else {
      // A remote write may commit before the abort reaches it (an indeterminate outcome, in Jepsen's
      // words), so the memory may exist; what must never happen is a second copy of it.
      await settle();
      expect((await listAll(provider, scopeFilter(scope))).length).toBeLessThanOrEqual(1);
    }
  });
}
