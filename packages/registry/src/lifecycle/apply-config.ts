import { isDeepStrictEqual } from 'node:util';
import { ConflictError } from '@memgate/core';
import type { MemgateConfig } from '../config/memgate-config-schema.js';
import type { DiscoveredProviderConfig } from '../discovery/discover-providers.js';
import type { ProviderRecord } from './provider-record.js';
import type { ProbeOptions, ProviderRegistry } from './provider-registry.js';

/** Options of {@link applyConfig}. */
export interface ApplyConfigOptions extends ProbeOptions {
  /** Providers found by `discoverProviders`, registered when no stored provider has their name. */
  readonly discovered?: readonly DiscoveredProviderConfig[];
  /** Delete stored providers that the config does not name (after deactivating them). Default false. */
  readonly prune?: boolean;
}

/**
 * Makes the registry match a validated config: registers new entries, reconfigures changed ones,
 * activates or deactivates to match `enabled`, then registers discoveries that nothing overrides.
 * Used by `memgate serve --config`. Stops at the first failing transition.
 * @returns the registry's providers afterwards
 */
export async function applyConfig(registry: ProviderRegistry, config: MemgateConfig, options: ApplyConfigOptions = {}): Promise<ProviderRecord[]> {
  const probe = { force: options.force };
  for (const entry of config.providers) {
    let current = await registry.store.get(entry.name);
    if (!current) {
      // Replicas starting together on one state store race to register the same entry: the loser
      // reconciles with what the winner stored instead of failing its start.
      if (await registeredUnlessRaced(() => registry.register(entry, { ...probe, source: 'config' }))) continue;
      current = await registry.store.get(entry.name);
      if (!current) throw new ConflictError({ message: `provider '${entry.name}' was registered and removed while this config was applied` });
    }
    const { name: _name, enabled, ...wanted } = entry;
    const { name: _stored, enabled: _enabled, ...stored } = current.config;
    if (!isDeepStrictEqual(JSON.parse(JSON.stringify(wanted)), JSON.parse(JSON.stringify(stored)))) {
      // `module` and `settings` are replaced wholesale, so an omitted one must be cleared explicitly.
      await registry.configure(entry.name, { module: undefined, settings: undefined, ...wanted }, { ...probe, source: 'config' });
    }
    if (enabled && current.state === 'inactive') await registry.activate(entry.name, probe);
    if (!enabled && current.state === 'active') await registry.deactivate(entry.name);
  }
  const named = new Set(config.providers.map((entry) => entry.name));
  if (options.prune) {
    for (const record of await registry.list()) {
      if (named.has(record.name) || record.source === 'discovered') continue;
      if (record.state === 'active') await registry.deactivate(record.name);
      await registry.delete(record.name);
    }
  }
  for (const discovered of options.discovered ?? []) {
    if (named.has(discovered.config.name) || (await registry.store.get(discovered.config.name))) continue;
    await registeredUnlessRaced(() => registry.register(discovered.config, { ...probe, source: 'discovered', reason: discovered.reason }));
  }
  return registry.list();
}

/** Runs `register`: `true` when it registered, `false` when another process registered the name first (a ConflictError). */
async function registeredUnlessRaced(register: () => Promise<unknown>): Promise<boolean> {
  try {
    await register();
    return true;
  } catch (error) {
    if (ConflictError.isInstance(error)) return false;
    throw error;
  }
}
