import { defineProviderPlugin, parseMemoryFilter, ProviderUnavailableError, type MemoryProviderV1, type MemoryProviderV1SearchQuery } from '@memgate/core';
import { createInMemoryDecisionHistoryStore, createInMemoryWriteJournal } from '@memgate/failover';
import { createHealthMonitor } from '@memgate/health';
import { InMemoryProviderRegistryStore, ProviderRegistry, routingConfigSchema } from '@memgate/registry';
import { createInMemoryMemoryProvider } from '@memgate/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createInstanceUsage } from './instance-usage.js';
import { createLiveFailoverPool, type LiveFailoverPool } from './live-failover-pool.js';

/** Searches on a `gated` provider wait until `release()`; everything else is the in-memory provider. */
function gatedPlugin() {
  let open!: () => void;
  let gate = new Promise<void>((resolve) => (open = resolve));
  const closed: string[] = [];
  const plugin = defineProviderPlugin({
    type: 'gated',
    settingsSchema: z.object({}).strict(),
    create: (_settings, context): MemoryProviderV1 => {
      const inner = createInMemoryMemoryProvider({ name: context.name });
      return {
        ...inner,
        search: async (query, options) => {
          await gate;
          return inner.search(query, options);
        },
        close: async () => {
          closed.push(context.name);
          await inner.close();
        },
      };
    },
  });
  return {
    plugin,
    closed,
    release: () => open(),
    reset: () => (gate = new Promise<void>((resolve) => (open = resolve))),
  };
}

const entry = (name: string, priority: number, type = 'gated') => ({ name, provider_type: type, connection_string: `memory://${name}`, priority });
const query: MemoryProviderV1SearchQuery = { query: 'anything', filter: parseMemoryFilter({ user_id: 'u1' }), topK: 5 };

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

async function setup(): Promise<{ registry: ProviderRegistry; pool: LiveFailoverPool; gated: ReturnType<typeof gatedPlugin> }> {
  const gated = gatedPlugin();
  const usage = createInstanceUsage();
  const registry = new ProviderRegistry({ plugins: [gated.plugin], store: new InMemoryProviderRegistryStore(), env: {}, retireInstance: usage.retire });
  await registry.start();
  const health = createHealthMonitor({ onError: () => undefined });
  const pool = createLiveFailoverPool({ registry, health, decisions: createInMemoryDecisionHistoryStore(), usage, onError: () => undefined });
  const changes = registry.onChange(() => void pool.rebuild());
  cleanups.push(async () => {
    changes.dispose();
    await pool.close();
    await health.close();
    await registry.close();
  });
  return { registry, pool, gated };
}

describe('the live failover pool', () => {
  it('answers 503-style ProviderUnavailableError while no provider is active, and serves once one is registered', async () => {
    const { registry, pool, gated } = await setup();
    await pool.rebuild();
    const refused = await pool.search(query).catch((error: unknown) => error);
    expect(ProviderUnavailableError.isInstance(refused)).toBe(true);
    await registry.register(entry('a', 1));
    await pool.rebuild();
    gated.release();
    const decisions: string[] = [];
    await pool.search(query, { onDecision: (decision) => decisions.push(decision.chosen!) });
    expect(decisions).toEqual(['a']);
  });

  it('lets a call in flight finish on the pool it started on while the registry changes, and keeps the members open', async () => {
    const { registry, pool, gated } = await setup();
    await registry.register(entry('a', 1));
    await pool.rebuild();
    const before = pool.current();
    const inFlight = pool.search(query);
    await registry.register(entry('b', 0));
    await pool.rebuild();
    expect(pool.current()).not.toBe(before);
    expect(pool.statistics().members.map((member) => member.name).sort()).toEqual(['a', 'b']);
    gated.release();
    await expect(inFlight).resolves.toEqual([]);
    // The old pool closed without closing the registry's instances.
    expect(gated.closed).toEqual([]);
    const served: string[] = [];
    await pool.search(query, { onDecision: (decision) => served.push(decision.chosen!) });
    expect(served).toEqual(['b']);
  });

  it('closes a deactivated provider only after the call running on it has ended, and routes new calls elsewhere', async () => {
    const { registry, pool, gated } = await setup();
    await registry.register(entry('a', 1));
    await registry.register(entry('b', 2));
    await pool.rebuild();
    const served: string[] = [];
    const inFlight = pool.search(query, { onDecision: (decision) => served.push(decision.chosen!) });
    await registry.deactivate('a');
    await pool.rebuild();
    expect(gated.closed).toEqual([]);
    gated.release();
    await expect(inFlight).resolves.toEqual([]);
    expect(served).toEqual(['a']);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(gated.closed).toEqual(['a']);
    await pool.search(query, { onDecision: (decision) => served.push(decision.chosen!) });
    expect(served).toEqual(['a', 'b']);
  });

  it('keeps forced-out members and the strategy across a rebuild', async () => {
    const { registry, pool, gated } = await setup();
    gated.release();
    await registry.register(entry('a', 1));
    await registry.register(entry('b', 2));
    await pool.rebuild();
    pool.forceOut('a');
    pool.setStrategy('health');
    await registry.register(entry('c', 3));
    await pool.rebuild();
    expect(pool.strategyName).toBe('health');
    expect(pool.statistics().members.find((member) => member.name === 'a')).toMatchObject({ adminState: 'forced-out', breaker: { state: 'isolated' } });
    const served: string[] = [];
    for (let index = 0; index < 5; index += 1) await pool.search(query, { onDecision: (decision) => served.push(decision.chosen!) });
    expect(served).not.toContain('a');
    pool.forceIn('a');
    await registry.deactivate('c');
    await pool.rebuild();
    expect(pool.statistics().members.map((member) => [member.name, member.adminState])).toEqual([
      ['a', 'active'],
      ['b', 'active'],
    ]);
    expect(() => pool.forceOut('c')).toThrow(/no member named "c"/);
    expect(() => pool.setStrategy('fastest')).toThrow(/unknown routing strategy/);
  });

  it('gives each provider its configured weight: round_robin serves them 3:1, as providers[].weight says', async () => {
    const { registry, pool, gated } = await setup();
    gated.release();
    await registry.register({ ...entry('heavy', 1), weight: 3 });
    await registry.register(entry('light', 2));
    await pool.rebuild();
    pool.setStrategy('round_robin');
    expect(pool.statistics().members.map((member) => [member.name, member.weight])).toEqual([
      ['heavy', 3],
      ['light', 1],
    ]);
    const served: string[] = [];
    for (let index = 0; index < 40; index += 1) await pool.search(query, { onDecision: (decision) => served.push(decision.chosen!) });
    expect(served.filter((name) => name === 'heavy').length).toBe(30);
  });

  it('with a journal: past routing.backlog_limit writes get 503 with Retry-After and a replication-backlog alert fires; it resolves once the member caught up', async () => {
    const refusing = new Set<string>();
    const plugin = defineProviderPlugin({
      type: 'switchable',
      settingsSchema: z.object({}).strict(),
      create: (_settings, context): MemoryProviderV1 => {
        const inner = createInMemoryMemoryProvider({ name: context.name });
        const refuse = () => Promise.reject(new ProviderUnavailableError({ message: 'connection refused', providerId: context.name }));
        return { ...inner, add: (records, options) => (refusing.has(context.name) ? refuse() : inner.add(records, options)), probe: (options) => (refusing.has(context.name) ? refuse() : inner.probe(options)) };
      },
    });
    const registry = new ProviderRegistry({ plugins: [plugin], store: new InMemoryProviderRegistryStore(), env: {} });
    await registry.start();
    const health = createHealthMonitor({ onError: () => undefined });
    const alerts: string[] = [];
    health.onAlert((alert) => alerts.push(`${alert.rule}:${alert.provider}:${alert.state}`));
    const pool = createLiveFailoverPool({
      registry,
      health,
      decisions: createInMemoryDecisionHistoryStore(),
      journal: createInMemoryWriteJournal(),
      routing: routingConfigSchema.parse({ backlog_limit: { entries: 3, retry_after_ms: 4321 }, breaker: { failure_threshold: 1, cooldown_ms: 20 } }),
      onError: () => undefined,
    });
    cleanups.push(async () => {
      await pool.close();
      await health.close();
      await registry.close();
    });
    await registry.register(entry('a', 1, 'switchable'));
    await registry.register(entry('b', 2, 'switchable'));
    await pool.rebuild();
    refusing.add('b');
    for (let index = 0; index < 3; index += 1) await pool.add([{ userId: 'u', memory: `w-${index}` }]);
    const refused = await pool.add([{ userId: 'u', memory: 'refused' }]).catch((error: unknown) => error);
    expect(ProviderUnavailableError.isInstance(refused) && refused.retryAfterMs).toBe(4321);
    expect(alerts).toEqual(['replication-backlog:b:firing']);
    refusing.delete('b');
    for (let waited = 0; waited < 200 && pool.statistics().members.find((member) => member.name === 'b')!.journalBacklog!.entries > 0; waited += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    await pool.add([{ userId: 'u', memory: 'accepted again' }]);
    expect(alerts).toEqual(['replication-backlog:b:firing', 'replication-backlog:b:resolved']);
  });

  describe('journaling starts with a second member, which joins through a resync', () => {
    /** A registry of in-memory providers whose instances the test can read directly, and a journaled live pool over it. */
    async function journaledSetup() {
      const instances = new Map<string, MemoryProviderV1>();
      const plugin = defineProviderPlugin({
        type: 'kept',
        settingsSchema: z.object({}).strict(),
        create: (_settings, context): MemoryProviderV1 => {
          const provider = instances.get(context.name) ?? createInMemoryMemoryProvider({ name: context.name });
          instances.set(context.name, provider);
          return { ...provider, close: async () => undefined };
        },
      });
      const store = new InMemoryProviderRegistryStore();
      const journal = createInMemoryWriteJournal();
      const appended: number[] = [];
      const append = journal.append.bind(journal);
      journal.append = async (...args) => ((appended[0] = (appended[0] ?? 0) + args[0].length), append(...args));
      const start = async () => {
        const registry = new ProviderRegistry({ plugins: [plugin], store, env: {} });
        await registry.start();
        const health = createHealthMonitor({ onError: () => undefined });
        const resynced: string[] = [];
        const pool = createLiveFailoverPool({ registry, health, decisions: createInMemoryDecisionHistoryStore(), journal, onMemberResynced: (report) => resynced.push(`${report.member}<-${report.source}`), onError: () => undefined });
        const changes = registry.onChange(() => void pool.rebuild());
        const stop = async () => {
          changes.dispose();
          await pool.close();
          await health.close();
          await registry.close();
        };
        cleanups.push(stop);
        return { registry, pool, resynced, stop };
      };
      return { instances, appended, start };
    }
    const texts = async (provider: MemoryProviderV1) => (await provider.list(parseMemoryFilter({ user_id: 'u1' }), { page: 1, pageSize: 100 })).items.map((record) => record.memory).sort();
    const until = async (check: () => boolean | Promise<boolean>) => {
      for (let waited = 0; !(await check()); waited += 1) {
        if (waited > 250) throw new Error('not within 5 s');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };

    it('a pool of one member writes nothing to the journal; a second member added while it runs is resynced from the first, read from only then, and journaled from then on', async () => {
      const { instances, appended, start } = await journaledSetup();
      const { registry, pool, resynced } = await start();
      await registry.register(entry('a', 1, 'kept'));
      await pool.rebuild();
      for (let index = 0; index < 5; index += 1) await pool.add([{ userId: 'u1', memory: `before-${index}` }]);
      expect(appended).toEqual([]);
      expect(pool.replicator()).toBeUndefined();

      await registry.register(entry('b', 0, 'kept'));
      await pool.rebuild();
      // b is preferred (priority 0) but holds nothing yet: a listing must not come from it until its resync is done.
      const listed = await pool.list(parseMemoryFilter({ user_id: 'u1' }), { page: 1, pageSize: 100 });
      expect(listed.total).toBe(5);
      await until(() => resynced.length === 1);
      expect(resynced).toEqual(['b<-a']);
      expect(await texts(instances.get('b')!)).toEqual(['before-0', 'before-1', 'before-2', 'before-3', 'before-4']);
      await pool.add([{ userId: 'u1', memory: 'after' }]);
      expect(appended).toEqual([1]);
      await until(async () => (await texts(instances.get('a')!)).includes('after'));
    });

    it('a gateway restarted with a second, empty provider next to one that holds memories resyncs it at start', async () => {
      const { instances, start } = await journaledSetup();
      const first = await start();
      await first.registry.register(entry('a', 1, 'kept'));
      await first.pool.rebuild();
      await first.pool.add([{ userId: 'u1', memory: 'written alone' }]);
      await first.registry.register(entry('b', 2, 'kept'));
      await first.stop();
      instances.get('b')!.deleteAll({ userId: 'u1' }); // as if b were a new, empty server
      const second = await start();
      await second.pool.rebuild();
      await until(() => second.resynced.length === 1);
      expect(second.resynced).toEqual(['b<-a']);
      expect(await texts(instances.get('b')!)).toEqual(['written alone']);
    });

    it('a member left alone with writes it has not applied keeps the journal until they are delivered, then stops journaling', async () => {
      const { instances, appended, start } = await journaledSetup();
      const { registry, pool } = await start();
      await registry.register(entry('a', 1, 'kept'));
      await registry.register(entry('b', 2, 'kept'));
      await pool.rebuild();
      pool.forceOut('a'); // a misses the next writes: they are journaled for it
      await pool.add([{ userId: 'u1', memory: 'taken by b' }]);
      expect(appended).toEqual([1]);
      await registry.deactivate('b');
      await pool.rebuild();
      pool.forceIn('a');
      await until(async () => (await texts(instances.get('a')!)).includes('taken by b'));
      await until(() => pool.replicator() === undefined);
      await pool.add([{ userId: 'u1', memory: 'alone' }]);
      expect(appended).toEqual([1]);
    });
  });
});
