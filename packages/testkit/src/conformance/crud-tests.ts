import { randomUUID } from 'node:crypto';
import { ConflictError, isUuid, NotFoundError, scopeFilter } from '@memgate/core';
import { expect } from 'vitest';
import type { MemoryProviderFactory, MemoryProviderTestFunction, MemoryProviderTestSuiteOptions } from './memory-provider-test-suite-options.js';
import { defineSuiteArea, expectRejection, freshScope, listAll, sortedIds } from './suite-tools.js';

const isoMillis = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** add/get/list/update/delete/deleteAll, probe and close: the basic contract of `MemoryProviderV1`. */
export function crudTests(test: MemoryProviderTestFunction, createProvider: MemoryProviderFactory, options?: MemoryProviderTestSuiteOptions): void {
  const it = defineSuiteArea(test, createProvider, options);

  it('crud: the provider declares specificationVersion v1, a type, a name and every capability as a boolean', async ({ provider }) => {
    expect(provider.specificationVersion).toBe('v1');
    expect(provider.type).toEqual(expect.any(String));
    expect(provider.name).toEqual(expect.any(String));
    for (const flag of ['vectorSearch', 'fullTextSearch', 'history', 'metadataFilters', 'callerIds', 'batchWrites', 'inference'] as const) {
      expect(typeof provider.capabilities[flag], flag).toBe('boolean');
    }
  });

  it('crud: add() stores the text verbatim with its scope, empty metadata and createdAt equal to updatedAt', async ({ provider, eventually }) => {
    const scope = freshScope(['userId', 'agentId', 'appId', 'runId']);
    const text = '  Prefers window seats.\nAllergic to peanuts!  ';
    const [added] = await provider.add([{ ...scope, memory: text }]);
    expect(added).toMatchObject({ ...scope, memory: text, metadata: {} });
    expect(added!.createdAt).toMatch(isoMillis);
    expect(added!.updatedAt).toBe(added!.createdAt);
    await eventually(async () => expect(await provider.get(added!.id)).toEqual(added));
  });

  it('crud: add() without an id assigns a UUIDv7', async ({ provider }) => {
    const [added] = await provider.add([{ ...freshScope(), memory: 'Has a dog named Rex' }]);
    expect(isUuid(added!.id)).toBe(true);
    expect(added!.id[14]).toBe('7');
  });

  it('crud: add() of several records returns them in input order, all stored', async ({ provider, eventually }) => {
    const scope = freshScope();
    const texts = ['first memory', 'second memory', 'third memory'];
    const added = await provider.add(texts.map((memory) => ({ ...scope, memory })));
    expect(added.map((record) => record.memory)).toEqual(texts);
    expect(new Set(added.map((record) => record.id)).size).toBe(3);
    await eventually(async () => expect(sortedIds(await listAll(provider, scopeFilter(scope)))).toEqual(sortedIds(added)));
  });

  it('crud: a caller-chosen id round-trips through add, get and list', async ({ provider, eventually }) => {
    const scope = freshScope();
    const id = randomUUID();
    const [added] = await provider.add([{ ...scope, id, memory: 'Lives in Lisbon' }]);
    expect(added!.id).toBe(id);
    await eventually(async () => {
      expect((await provider.get(id))?.memory).toBe('Lives in Lisbon');
      expect((await listAll(provider, scopeFilter(scope))).map((record) => record.id)).toEqual([id]);
    });
  });

  it('crud: add() with createdAt backdates the memory', async ({ provider }) => {
    const createdAt = '2021-06-01T12:34:56.789Z';
    const [added] = await provider.add([{ ...freshScope(), memory: 'Graduated in 2021', createdAt }]);
    expect(added!.createdAt).toBe(createdAt);
    expect(added!.updatedAt).toBe(createdAt);
  });

  it('crud: re-adding the same id with the same scope and text returns the stored record and stores no copy', async ({ provider, eventually, settle }) => {
    const scope = freshScope();
    const id = randomUUID();
    const [first] = await provider.add([{ ...scope, id, memory: 'Speaks Portuguese' }]);
    await eventually(async () => expect(await provider.get(id)).not.toBeNull());
    const [again] = await provider.add([{ ...scope, id, memory: 'Speaks Portuguese' }]);
    expect(again).toEqual(first);
    await settle();
    expect((await listAll(provider, scopeFilter(scope))).length).toBe(1);
  });

  it('crud: re-adding an existing id with different text rejects with ConflictError and keeps the stored record', async ({ provider, eventually }) => {
    const scope = freshScope();
    const id = randomUUID();
    const [first] = await provider.add([{ ...scope, id, memory: 'Drinks tea' }]);
    await eventually(async () => expect(await provider.get(id)).not.toBeNull());
    await expectRejection(provider.add([{ ...scope, id, memory: 'Drinks coffee' }]), ConflictError);
    expect(await provider.get(id)).toEqual(first);
  });

  it('crud: get() returns null for an unknown id', async ({ provider }) => {
    expect(await provider.get(randomUUID())).toBeNull();
  });

  it('crud: update() changes the text, keeps id, scope, metadata and createdAt, and advances updatedAt', async ({ provider, eventually }) => {
    const scope = freshScope(['userId', 'agentId']);
    const [added] = await provider.add([{ ...scope, memory: 'Works at Acme', metadata: { source: 'chat' }, createdAt: '2022-01-01T00:00:00.000Z' }]);
    await eventually(async () => expect(await provider.get(added!.id)).not.toBeNull());
    const updated = await provider.update(added!.id, { memory: 'Works at Globex' });
    expect(updated).toMatchObject({ ...scope, id: added!.id, memory: 'Works at Globex', metadata: { source: 'chat' }, createdAt: added!.createdAt });
    expect(Date.parse(updated.updatedAt)).toBeGreaterThan(Date.parse(added!.createdAt));
    await eventually(async () => expect(await provider.get(added!.id)).toEqual(updated));
  });

  it('crud: update() with metadata replaces the metadata whole and keeps the text', async ({ provider, eventually }) => {
    const [added] = await provider.add([{ ...freshScope(), memory: 'Plays chess', metadata: { level: 'beginner', club: 'north' } }]);
    await eventually(async () => expect(await provider.get(added!.id)).not.toBeNull());
    const updated = await provider.update(added!.id, { metadata: { level: 'expert' } });
    expect(updated.memory).toBe('Plays chess');
    expect(updated.metadata).toEqual({ level: 'expert' });
    await eventually(async () => expect((await provider.get(added!.id))?.metadata).toEqual({ level: 'expert' }));
  });

  it('crud: update() with updatedAt records that time', async ({ provider, eventually }) => {
    const [added] = await provider.add([{ ...freshScope(), memory: 'Owns a bike', createdAt: '2020-01-01T00:00:00.000Z' }]);
    await eventually(async () => expect(await provider.get(added!.id)).not.toBeNull());
    const updated = await provider.update(added!.id, { memory: 'Owns two bikes', updatedAt: '2023-03-03T03:03:03.333Z' });
    expect(updated.updatedAt).toBe('2023-03-03T03:03:03.333Z');
  });

  it('crud: update() of an unknown id rejects with NotFoundError', async ({ provider }) => {
    await expectRejection(provider.update(randomUUID(), { memory: 'anything' }), NotFoundError);
  });

  it('crud: delete() removes the memory so get() returns null; deleting it again rejects with NotFoundError', async ({ provider, eventually }) => {
    const scope = freshScope();
    const [kept, doomed] = await provider.add([{ ...scope, memory: 'keep me' }, { ...scope, memory: 'delete me' }]);
    await eventually(async () => expect(await provider.get(doomed!.id)).not.toBeNull());
    await provider.delete(doomed!.id);
    await eventually(async () => {
      expect(await provider.get(doomed!.id)).toBeNull();
      expect(sortedIds(await listAll(provider, scopeFilter(scope)))).toEqual([kept!.id]);
    });
    await expectRejection(provider.delete(doomed!.id), NotFoundError);
  });

  it('crud: delete() of an unknown id rejects with NotFoundError', async ({ provider }) => {
    await expectRejection(provider.delete(randomUUID()), NotFoundError);
  });

  it('crud: deleteAll(scope) deletes every memory of the scope and returns how many', async ({ provider, eventually }) => {
    const scope = freshScope();
    await provider.add([1, 2, 3, 4].map((n) => ({ ...scope, memory: `memory number ${n}` })));
    await eventually(async () => expect((await listAll(provider, scopeFilter(scope))).length).toBe(4));
    expect(await provider.deleteAll(scope)).toEqual({ deleted: 4 });
    await eventually(async () => expect(await listAll(provider, scopeFilter(scope))).toEqual([]));
  });

  it('crud: list() returns the memories of a scope with total', async ({ provider, eventually }) => {
    const scope = freshScope();
    const added = await provider.add([{ ...scope, memory: 'one' }, { ...scope, memory: 'two' }]);
    await eventually(async () => {
      const page = await provider.list(scopeFilter(scope), { page: 1, pageSize: 10 });
      expect(page.total).toBe(2);
      expect(sortedIds(page.items)).toEqual(sortedIds(added));
    });
  });

  it('crud: probe() resolves with a non-negative latencyMs', async ({ provider }) => {
    const result = await provider.probe();
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('crud: close() is idempotent', async ({ provider }) => {
    await provider.close();
    await expect(provider.close()).resolves.toBeUndefined();
  });
}
