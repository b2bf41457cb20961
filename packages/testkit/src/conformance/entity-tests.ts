import { randomUUID } from 'node:crypto';
import { aggregateEntitiesByScan, scopeFilter, type MemoryProviderV1 } from '@memgate/core';
import { expect } from 'vitest';
import type { MemoryProviderFactory, MemoryProviderTestFunction, MemoryProviderTestSuiteOptions } from './memory-provider-test-suite-options.js';
import { defineSuiteArea } from './suite-tools.js';

/**
 * aggregateEntities() (optional): every user, agent, app and run id owning memories that match the
 * filter, with counts and first and last writes. A provider without it is checked through the scan
 * every caller falls back to (`aggregateEntitiesByScan` over `list`), so the expected answer is the same.
 */
export function entityTests(test: MemoryProviderTestFunction, createProvider: MemoryProviderFactory, options?: MemoryProviderTestSuiteOptions): void {
  const it = defineSuiteArea(test, createProvider, options);
  const entitiesOf = (provider: MemoryProviderV1, appId: string) => (provider.aggregateEntities ? provider.aggregateEntities(scopeFilter({ appId })) : aggregateEntitiesByScan(provider.list.bind(provider), scopeFilter({ appId })));

  it('entities: aggregateEntities(filter) counts the memories of each user, agent, app and run id within the filter (or the listing scan without it)', async ({ provider, eventually }) => {
    const appId = `app-${randomUUID()}`;
    const [alice, bob] = [`alice-${randomUUID()}`, `bob-${randomUUID()}`];
    await provider.add([
      { appId, userId: alice, agentId: 'planner', memory: 'one' },
      { appId, userId: alice, memory: 'two' },
      { appId, userId: bob, agentId: 'planner', runId: 'run-1', memory: 'three' },
    ]);
    await provider.add([{ appId: `other-${randomUUID()}`, userId: alice, memory: 'outside the filter' }]);
    await eventually(async () => {
      const entities = await entitiesOf(provider, appId);
      expect(entities.map(({ type, id, memoryCount }) => `${type}:${id}:${memoryCount}`).sort()).toEqual([`agent:planner:2`, `app:${appId}:3`, `run:run-1:1`, `user:${alice}:2`, `user:${bob}:1`].sort());
      for (const entity of entities) {
        expect(Date.parse(entity.createdAt)).toBeLessThanOrEqual(Date.parse(entity.updatedAt));
        expect(new Date(entity.createdAt).toISOString()).toBe(entity.createdAt);
      }
    });
  });
}
