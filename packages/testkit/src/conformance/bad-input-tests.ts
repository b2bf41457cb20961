import { scopeFilter, ValidationError, type MemoryProviderV1NewRecord, type MemoryProviderV1Patch, type MemoryScope } from '@memgate/core';
import { expect } from 'vitest';
import type { MemoryProviderFactory, MemoryProviderTestFunction, MemoryProviderTestSuiteOptions } from './memory-provider-test-suite-options.js';
import { defineSuiteArea, expectRejection, freshScope, listAll } from './suite-tools.js';

/** Bad input from a caller gets a ValidationError that names the field, never a crash or a write. */
export function badInputTests(test: MemoryProviderTestFunction, createProvider: MemoryProviderFactory, options?: MemoryProviderTestSuiteOptions): void {
  const it = defineSuiteArea(test, createProvider, options);

  it('bad input: add() with empty text rejects with ValidationError naming the memory field and writes nothing', async ({ provider, settle }) => {
    const scope = freshScope();
    const error = await expectRejection(provider.add([{ ...scope, memory: '' }]), ValidationError);
    expect(error.field).toMatch(/memory/);
    expect(error.isRetryable).toBe(false);
    await settle();
    expect(await listAll(provider, scopeFilter(scope))).toEqual([]);
  });

  it('bad input: add() of a record without any scope id rejects with ValidationError naming a field', async ({ provider }) => {
    const error = await expectRejection(provider.add([{ memory: 'belongs to nobody' }]), ValidationError);
    expect(error.field).toEqual(expect.any(String));
  });

  it('bad input: a batch with one invalid record rejects with ValidationError and stores none of it', async ({ provider, settle }) => {
    const scope = freshScope();
    const batch: MemoryProviderV1NewRecord[] = [{ ...scope, memory: 'valid one' }, { ...scope, memory: '' }, { ...scope, memory: 'valid two' }];
    await expectRejection(provider.add(batch), ValidationError);
    await settle();
    expect(await listAll(provider, scopeFilter(scope))).toEqual([]);
  });

  it('bad input: add() with metadata that is not a JSON object rejects with ValidationError naming metadata', async ({ provider }) => {
    const record = { ...freshScope(), memory: 'odd metadata', metadata: ['not', 'an', 'object'] } as unknown as MemoryProviderV1NewRecord;
    const error = await expectRejection(provider.add([record]), ValidationError);
    expect(error.field).toMatch(/metadata/);
  });

  it('bad input: deleteAll() with an empty scope rejects with ValidationError and deletes nothing', async ({ provider, eventually }) => {
    const scope = freshScope();
    await provider.add([{ ...scope, memory: 'must survive' }]);
    await eventually(async () => expect((await listAll(provider, scopeFilter(scope))).length).toBe(1));
    await expectRejection(provider.deleteAll({} as MemoryScope), ValidationError);
    expect((await listAll(provider, scopeFilter(scope))).length).toBe(1);
  });

  it('bad input: update() with neither text nor metadata, or with empty text, rejects with ValidationError', async ({ provider, eventually }) => {
    const [added] = await provider.add([{ ...freshScope(), memory: 'unchanged' }]);
    await eventually(async () => expect(await provider.get(added!.id)).not.toBeNull());
    await expectRejection(provider.update(added!.id, {} as MemoryProviderV1Patch), ValidationError, 'empty patch');
    await expectRejection(provider.update(added!.id, { memory: '' }), ValidationError, 'empty text');
    expect((await provider.get(added!.id))?.memory).toBe('unchanged');
  });

  it('bad input: list() with page 0 or pageSize 0 rejects with ValidationError', async ({ provider }) => {
    const filter = scopeFilter(freshScope());
    await expectRejection(provider.list(filter, { page: 0, pageSize: 10 }), ValidationError, 'page 0');
    await expectRejection(provider.list(filter, { page: 1, pageSize: 0 }), ValidationError, 'pageSize 0');
  });

  it('bad input: search() with an empty query rejects with ValidationError', async ({ provider }) => {
    await expectRejection(provider.search({ query: '', filter: scopeFilter(freshScope()) }), ValidationError);
  });
}
