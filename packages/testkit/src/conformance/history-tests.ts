import { randomUUID } from 'node:crypto';
import { UnsupportedCapabilityError, type MemoryProviderV1 } from '@memgate/core';
import { expect } from 'vitest';
import type { MemoryProviderFactory, MemoryProviderTestFunction, MemoryProviderTestSuiteOptions } from './memory-provider-test-suite-options.js';
import { defineSuiteArea, expectRejection, freshScope } from './suite-tools.js';

/**
 * history(): every ADD, UPDATE and DELETE, oldest first, kept after the delete. A provider whose
 * `capabilities.history` is false must reject with UnsupportedCapabilityError instead; each test
 * checks whichever of the two its provider declares.
 */
export function historyTests(test: MemoryProviderTestFunction, createProvider: MemoryProviderFactory, options?: MemoryProviderTestSuiteOptions): void {
  const it = defineSuiteArea(test, createProvider, options);
  const unsupported = async (provider: MemoryProviderV1): Promise<boolean> => {
    if (provider.capabilities.history) return false;
    await expectRejection(provider.history(randomUUID()), UnsupportedCapabilityError);
    return true;
  };

  it('history: history(id) lists ADD, UPDATE, DELETE oldest first with old and new text, kept after delete (UnsupportedCapabilityError without capabilities.history)', async ({ provider, eventually }) => {
    if (await unsupported(provider)) return;
    const scope = freshScope(['userId', 'agentId']);
    const [added] = await provider.add([{ ...scope, memory: 'Likes jazz' }]);
    await eventually(async () => expect(await provider.get(added!.id)).not.toBeNull());
    await provider.update(added!.id, { memory: 'Likes jazz and blues' });
    await provider.delete(added!.id);
    await eventually(async () => {
      const events = await provider.history(added!.id);
      expect(events.map((event) => [event.event, event.oldMemory, event.newMemory])).toEqual([
        ['ADD', null, 'Likes jazz'],
        ['UPDATE', 'Likes jazz', 'Likes jazz and blues'],
        ['DELETE', 'Likes jazz and blues', null],
      ]);
      for (const event of events) expect(event).toMatchObject({ memoryId: added!.id, userId: scope.userId });
      const times = events.map((event) => Date.parse(event.createdAt));
      expect(times).toEqual([...times].sort((left, right) => left - right));
    });
  });

  it('history: deleteAll() records a DELETE for each memory it removes (UnsupportedCapabilityError without capabilities.history)', async ({ provider, eventually }) => {
    if (await unsupported(provider)) return;
    const scope = freshScope();
    const added = await provider.add([{ ...scope, memory: 'alpha' }, { ...scope, memory: 'beta' }]);
    await eventually(async () => expect(await provider.get(added[1]!.id)).not.toBeNull());
    await provider.deleteAll(scope);
    await eventually(async () => {
      for (const record of added) expect((await provider.history(record.id)).map((event) => event.event)).toEqual(['ADD', 'DELETE']);
    });
  });

  it('history: each history entry has its own id and an ISO 8601 time (UnsupportedCapabilityError without capabilities.history)', async ({ provider, eventually }) => {
    if (await unsupported(provider)) return;
    const [added] = await provider.add([{ ...freshScope(), memory: 'v1' }]);
    await eventually(async () => expect(await provider.get(added!.id)).not.toBeNull());
    await provider.update(added!.id, { memory: 'v2' });
    await eventually(async () => {
      const events = await provider.history(added!.id);
      expect(events).toHaveLength(2);
      expect(new Set(events.map((event) => event.id)).size).toBe(2);
      for (const event of events) expect(Number.isNaN(Date.parse(event.createdAt))).toBe(false);
    });
  });
}
