import { randomUUID } from 'node:crypto';
import { aggregateEntitiesByScan, matchAllFilter, scopeFilter, type MemoryFilter, type MemoryProviderV1 } from '@memgate/core';
import { expect } from 'vitest';
import type { MemoryProviderFactory, MemoryProviderTestFunction, MemoryProviderTestSuiteOptions } from './memory-provider-test-suite-options.js';
import { defineSuiteArea } from './suite-tools.js';

/**
 * aggregateEntities() (optional): every user, agent, app and run id owning memories that match the
 * filter, with counts and first and last writes. A provider without it is checked through the scan
 * every caller falls back to (`aggregateEntitiesByScan` over `list`), so the expected answer is the same:
 * these tests hold a provider that has the method to what its absence would give.
 */
export function entityTests(test: MemoryProviderTestFunction, createProvider: MemoryProviderFactory, options?: MemoryProviderTestSuiteOptions): void {
  const it = defineSuiteArea(test, createProvider, options);
  const entitiesOf = (provider: MemoryProviderV1, filter: MemoryFilter) => (provider.aggregateEntities ? provider.aggregateEntities(filter) : aggregateEntitiesByScan(provider.list.bind(provider), filter));

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
      const entities = await entitiesOf(provider, scopeFilter({ appId }));
      expect(entities.map(({ type, id, memoryCount }) => `${type}:${id}:${memoryCount}`).sort()).toEqual([`agent:planner:2`, `app:${appId}:3`, `run:run-1:1`, `user:${alice}:2`, `user:${bob}:1`].sort());
      for (const entity of entities) {
        expect(Date.parse(entity.createdAt)).toBeLessThanOrEqual(Date.parse(entity.updatedAt));
        expect(new Date(entity.createdAt).toISOString()).toBe(entity.createdAt);
      }
    });
  });

  it('entities: counts, first creation and last update follow update, delete and deleteAll, with or without a filter (or the listing scan without aggregateEntities)', async ({ provider, eventually }) => {
    const [appId, alice, bob, planner] = ['app', 'alice', 'bob', 'planner'].map((name) => `${name}-${randomUUID()}`) as [string, string, string, string];
    const at = (day: number) => new Date(Date.UTC(2025, 0, day)).toISOString();
    // Over the whole store only this test's entities are compared: others may share it.
    const ours = new Set([appId, alice, bob, planner]);
    const seen = async (filter: MemoryFilter) => (await entitiesOf(provider, filter)).filter((entity) => ours.has(entity.id)).map(({ type, id, memoryCount, createdAt, updatedAt }) => [type, id, memoryCount, createdAt, updatedAt]);
    // Asked before the writes too, so an index built on first use must then keep up with them.
    expect(await seen(matchAllFilter)).toEqual([]);
    const [first, second, third] = await provider.add([
      { appId, userId: alice, memory: 'first', createdAt: at(1) },
      { appId, userId: alice, agentId: planner, memory: 'second', createdAt: at(2) },
      { appId, userId: bob, memory: 'third', createdAt: at(3) },
    ]);
    await provider.update(first!.id, { memory: 'first, revised', updatedAt: at(4) });
    const expectEverywhere = (expected: unknown[]) =>
      eventually(async () => {
        expect(await seen(scopeFilter({ appId }))).toEqual(expected);
        expect(await seen(matchAllFilter)).toEqual(expected);
      });

    // Sorted by type, then id ('alice-…' before 'bob-…').
    await expectEverywhere([
      ['user', alice, 2, at(1), at(4)],
      ['user', bob, 1, at(3), at(3)],
      ['agent', planner, 1, at(2), at(2)],
      ['app', appId, 3, at(1), at(4)],
    ]);
    await provider.delete(third!.id);
    await provider.deleteAll({ agentId: planner });
    await eventually(async () => expect(await provider.get(second!.id)).toBeNull());
    await expectEverywhere([
      ['user', alice, 1, at(1), at(4)],
      ['app', appId, 1, at(1), at(4)],
    ]);
  });
}
