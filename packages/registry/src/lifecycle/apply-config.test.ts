import { describe, expect, it } from 'vitest';
import { memgateConfigSchema } from '../config/memgate-config-schema.js';
import { publicLookup } from '../test-support/public-lookup.js';
import { createTestProviderPlugin } from '../test-support/test-provider-plugin.js';
import { applyConfig } from './apply-config.js';
import { InMemoryProviderRegistryStore } from './in-memory-provider-registry-store.js';
import { ProviderRegistry } from './provider-registry.js';

const registryOn = (store: InMemoryProviderRegistryStore) => new ProviderRegistry({ plugins: [createTestProviderPlugin().plugin], env: {}, lookup: publicLookup, store });

describe('applyConfig', () => {
  it('lets replicas starting together on one store apply the same config: the one that loses the race to register reconciles instead of failing', async () => {
    const store = new InMemoryProviderRegistryStore();
    const config = memgateConfigSchema.parse({ providers: [{ name: 'alpha', provider_type: 'test', connection_string: 'test://alpha', priority: 10 }] });
    const discovered = [{ config: { name: 'found', provider_type: 'test', connection_string: 'test://found' }, reason: 'TEST_URL is set' }];
    const replicas = [registryOn(store), registryOn(store), registryOn(store)];
    const applied = await Promise.all(replicas.map((registry) => applyConfig(registry, config, { discovered: discovered as never })));
    for (const records of applied) expect(records.map((record) => [record.name, record.state]).sort()).toEqual([['alpha', 'active'], ['found', 'active']]);
    expect((await store.list()).map((record) => record.version)).toEqual([1, 1]);
  });
});
