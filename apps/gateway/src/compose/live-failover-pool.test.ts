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
});
