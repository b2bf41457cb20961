import { parseMemoryFilter, scopeFilter } from '@memgate/core';
import { expect } from 'vitest';
import type { MemoryProviderFactory, MemoryProviderTestFunction, MemoryProviderTestSuiteOptions } from './memory-provider-test-suite-options.js';
import { defineSuiteArea, freshScope, listAll, sortedIds } from './suite-tools.js';

/** Tenants: user A never sees or deletes user B's memories through list, search or deleteAll. */
export function scopingTests(test: MemoryProviderTestFunction, createProvider: MemoryProviderFactory, options?: MemoryProviderTestSuiteOptions): void {
  const it = defineSuiteArea(test, createProvider, options);

  it("scoping: list() for user A never returns user B's memories", async ({ provider, eventually, settle }) => {
    const userA = freshScope();
    const userB = freshScope();
    const mine = await provider.add([{ ...userA, memory: 'shared words about holidays' }, { ...userA, memory: 'mine only' }]);
    await provider.add([{ ...userB, memory: 'shared words about holidays' }]);
    await settle();
    await eventually(async () => {
      const page = await provider.list(scopeFilter(userA), { page: 1, pageSize: 100 });
      expect(sortedIds(page.items)).toEqual(sortedIds(mine));
      expect(page.total).toBe(2);
    });
  });

  it("scoping: search() for user A never returns user B's memories", async ({ provider, eventually, settle }) => {
    const userA = freshScope();
    const userB = freshScope();
    const [mine] = await provider.add([{ ...userA, memory: 'passport number is stored in the safe' }]);
    await provider.add([{ ...userB, memory: 'passport number is stored in the safe' }, { ...userB, memory: 'passport safe number' }]);
    await settle();
    await eventually(async () => {
      const results = await provider.search({ query: 'passport safe number', filter: scopeFilter(userA), topK: 10 });
      expect(results.map((result) => result.id)).toEqual([mine!.id]);
    });
  });

  it("scoping: deleteAll() for user A leaves user B's memories intact", async ({ provider, eventually }) => {
    const userA = freshScope();
    const userB = freshScope();
    await provider.add([{ ...userA, memory: 'a1' }, { ...userA, memory: 'a2' }]);
    const theirs = await provider.add([{ ...userB, memory: 'b1' }, { ...userB, memory: 'b2' }, { ...userB, memory: 'b3' }]);
    await eventually(async () => expect((await listAll(provider, scopeFilter(userA))).length).toBe(2));
    expect(await provider.deleteAll(userA)).toEqual({ deleted: 2 });
    await eventually(async () => {
      expect(await listAll(provider, scopeFilter(userA))).toEqual([]);
      expect(sortedIds(await listAll(provider, scopeFilter(userB)))).toEqual(sortedIds(theirs));
    });
  });

  it("scoping: deleteAll() with user and agent deletes only that agent's memories of that user", async ({ provider, eventually }) => {
    const user = freshScope();
    const agentA = freshScope(['agentId']);
    const agentB = freshScope(['agentId']);
    const other = freshScope();
    await provider.add([{ ...user, ...agentA, memory: 'from agent a' }]);
    const kept = await provider.add([{ ...user, ...agentB, memory: 'from agent b' }, { ...user, memory: 'no agent' }, { ...other, ...agentA, memory: 'other user, agent a' }]);
    await eventually(async () => expect((await listAll(provider, scopeFilter(agentA))).length).toBe(2));
    expect(await provider.deleteAll({ ...user, ...agentA })).toEqual({ deleted: 1 });
    await eventually(async () => {
      const remaining = [...(await listAll(provider, scopeFilter(user))), ...(await listAll(provider, scopeFilter(other)))];
      expect(sortedIds(remaining)).toEqual(sortedIds(kept));
    });
  });

  it('scoping: every scope field round-trips and an agent-only filter spans users', async ({ provider, eventually }) => {
    const agent = freshScope(['agentId']);
    const first = { ...freshScope(['userId', 'appId', 'runId']), ...agent };
    const second = { ...freshScope(), ...agent };
    const added = await provider.add([{ ...first, memory: 'first user' }, { ...second, memory: 'second user' }]);
    expect(added[0]).toMatchObject(first);
    await eventually(async () => {
      expect(await provider.get(added[0]!.id)).toMatchObject(first);
      expect(sortedIds(await listAll(provider, scopeFilter(agent)))).toEqual(sortedIds(added));
      expect(sortedIds(await listAll(provider, parseMemoryFilter({ agent_id: agent.agentId, run_id: first.runId })))).toEqual([added[0]!.id]);
    });
  });
}
