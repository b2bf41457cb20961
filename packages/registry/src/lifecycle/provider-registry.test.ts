import { ConflictError, NotFoundError, ProviderUnavailableError, ValidationError } from '@memgate/core';
import { describe, expect, it } from 'vitest';
import { configProblemsOf } from '../config/parse-provider-entry.js';
import { publicLookup } from '../test-support/public-lookup.js';
import { createTestProviderPlugin } from '../test-support/test-provider-plugin.js';
import { InMemoryProviderRegistryStore } from './in-memory-provider-registry-store.js';
import type { ProviderChangeEvent } from './provider-change-event.js';
import { ProviderRegistry, type ProviderRegistryOptions } from './provider-registry.js';

const entry = { name: 'alpha', provider_type: 'test', connection_string: 'test://alpha' };

function setup(options: Partial<ProviderRegistryOptions> = {}) {
  const { plugin, log } = createTestProviderPlugin();
  const registry = new ProviderRegistry({ plugins: [plugin], env: { SECRET: 's3cret-value' }, lookup: publicLookup, management: { env_allow_list: ['SECRET'] }, ...options });
  const events: ProviderChangeEvent[] = [];
  registry.onChange((event) => events.push(event));
  return { registry, log, events, plugin };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: Error) => error,
  );
}

describe('ProviderRegistry', () => {
  it('registers a provider after its probe passes, opens it and announces it', async () => {
    const { registry, log, events } = setup();
    const record = await registry.register(entry);
    expect(record).toMatchObject({ name: 'alpha', state: 'active', source: 'api', version: 1 });
    expect(registry.provider('alpha')?.name).toBe('alpha');
    expect(log.created).toEqual(['alpha']);
    expect(events).toEqual([{ type: 'provider-registered', name: 'alpha', record, origin: 'local' }]);
  });

  it('refuses a provider whose probe fails, and registers it with force', async () => {
    const { registry, log } = setup();
    const down = { ...entry, settings: { down: true } };
    const error = await rejection(registry.register(down));
    expect(ProviderUnavailableError.isInstance(error)).toBe(true);
    // The client's message is the class of the failure; the provider's own words stay in `cause`, for the log.
    expect(error.message).toBe("provider 'alpha' failed its probe: provider unreachable (use force to register it anyway)");
    expect((error.cause as Error).message).toBe('connection refused');
    expect(log.closed).toEqual(['alpha']);
    await expect(registry.list()).resolves.toEqual([]);
    await expect(registry.register(down, { force: true })).resolves.toMatchObject({ state: 'active' });
  });

  it('rejects an invalid entry with every problem, before probing', async () => {
    const { registry, log } = setup();
    const error = await rejection(registry.register({ ...entry, timeout: -1, provider_type: 'nope', extra: 1 }));
    expect(ValidationError.isInstance(error)).toBe(true);
    expect(configProblemsOf(error)).toEqual([
      { path: 'timeout', message: 'expected a positive integer' },
      { path: 'extra', message: 'unknown field' },
    ]);
    expect(log.created).toEqual([]);
  });

  it('refuses a second provider with the same name', async () => {
    const { registry } = setup();
    await registry.register(entry);
    const error = await rejection(registry.register(entry));
    expect(ConflictError.isInstance(error)).toBe(true);
    expect(error.message).toBe("provider 'alpha' already exists");
  });

  it('registers a disabled provider without opening it', async () => {
    const { registry, log } = setup();
    await expect(registry.register({ ...entry, enabled: false })).resolves.toMatchObject({ state: 'inactive' });
    expect(registry.provider('alpha')).toBeUndefined();
    expect(log.created).toEqual([]);
  });

  it('deactivates and activates, refusing repeated transitions with a reason', async () => {
    const { registry, log, events } = setup();
    await registry.register(entry);
    await expect(registry.deactivate('alpha')).resolves.toMatchObject({ state: 'inactive', version: 2, config: { enabled: false } });
    expect(registry.provider('alpha')).toBeUndefined();
    expect(log.closed).toEqual(['alpha']);
    expect((await rejection(registry.deactivate('alpha'))).message).toBe("provider 'alpha' is already inactive");
    await expect(registry.activate('alpha')).resolves.toMatchObject({ state: 'active', version: 3, config: { enabled: true } });
    expect(registry.provider('alpha')).toBeDefined();
    expect((await rejection(registry.activate('alpha'))).message).toBe("provider 'alpha' is already active");
    expect(events.map((event) => event.type)).toEqual(['provider-registered', 'provider-deactivated', 'provider-activated']);
  });

  it('reconfigures an active provider by opening the new instance before closing the old one', async () => {
    const { registry, log } = setup();
    await registry.register(entry);
    const before = registry.provider('alpha');
    const record = await registry.configure('alpha', { timeout: 900, settings: { apiKey: '${SECRET}' } });
    expect(record.config).toMatchObject({ timeout: 900, settings: { apiKey: '${SECRET}' } });
    expect(registry.provider('alpha')).not.toBe(before);
    expect(log.created).toEqual(['alpha', 'alpha']);
    expect(log.closed).toEqual(['alpha']);
    // The reference is resolved only when the instance is created.
    expect(log.settings.alpha?.apiKey).toBe('s3cret-value');
  });

  it('keeps the old instance when new settings fail the probe', async () => {
    const { registry } = setup();
    await registry.register(entry);
    const before = registry.provider('alpha');
    await expect(registry.configure('alpha', { settings: { down: true } })).rejects.toThrow(/failed its probe/);
    expect(registry.provider('alpha')).toBe(before);
    expect((await registry.get('alpha')).version).toBe(1);
  });

  it('refuses patches that rename, toggle or add unknown fields', async () => {
    const { registry } = setup();
    await registry.register(entry);
    await expect(registry.configure('alpha', { name: 'beta' })).rejects.toThrow('name: cannot be changed (register a new provider instead)');
    await expect(registry.configure('alpha', { enabled: false })).rejects.toThrow('enabled: use activate or deactivate to change it');
    await expect(registry.configure('alpha', { colour: 'red' })).rejects.toThrow('colour: unknown field');
    await expect(registry.configure('alpha', { timeout: 0 })).rejects.toThrow('timeout: expected a positive integer');
  });

  it('refuses to delete an active provider or one with undelivered writes', async () => {
    const pending = new Map([['alpha', 3]]);
    const { registry, events } = setup({ pendingWrites: (name) => pending.get(name) ?? 0 });
    await registry.register(entry);
    expect((await rejection(registry.delete('alpha'))).message).toBe("provider 'alpha' is active; deactivate it before deleting it");
    await registry.deactivate('alpha');
    const error = await rejection(registry.delete('alpha'));
    expect(ConflictError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/^provider 'alpha' has 3 undelivered write\(s\) in the journal/);
    pending.delete('alpha');
    await registry.delete('alpha');
    await expect(registry.list()).resolves.toEqual([]);
    expect(events.at(-1)).toEqual({ type: 'provider-deleted', name: 'alpha', record: null, origin: 'local' });
  });

  it('answers NotFoundError for a provider it does not have', async () => {
    const { registry } = setup();
    for (const attempt of [registry.get('ghost'), registry.activate('ghost'), registry.deactivate('ghost'), registry.delete('ghost'), registry.configure('ghost', {})]) {
      const error = await rejection(attempt);
      expect(NotFoundError.isInstance(error)).toBe(true);
      expect(error.message).toBe("provider 'ghost' does not exist");
    }
  });

  it('applies changes made by another registry sharing the store, without a restart', async () => {
    const store = new InMemoryProviderRegistryStore();
    const first = setup({ store });
    const second = setup({ store });
    await second.registry.start();
    await first.registry.register(entry);
    await waitFor(() => second.registry.provider('alpha') !== undefined);
    await first.registry.deactivate('alpha');
    await waitFor(() => second.registry.provider('alpha') === undefined);
    await first.registry.delete('alpha');
    await waitFor(() => second.events.length === 3);
    expect(second.events.map((event) => [event.type, event.origin])).toEqual([
      ['provider-registered', 'remote'],
      ['provider-deactivated', 'remote'],
      ['provider-deleted', 'remote'],
    ]);
    // The first registry does not hear its own changes twice.
    expect(first.events.map((event) => event.origin)).toEqual(['local', 'local', 'local']);
  });

  it('opens stored active providers at start and closes them at close', async () => {
    const store = new InMemoryProviderRegistryStore();
    await setup({ store }).registry.register(entry);
    const { registry, log } = setup({ store });
    await registry.start();
    expect(registry.activeProviders().map((provider) => provider.name)).toEqual(['alpha']);
    await registry.close();
    expect(log.closed).toEqual(['alpha']);
    expect(registry.activeProviders()).toEqual([]);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 1000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
