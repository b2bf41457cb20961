import { inMemoryProviderPlugin } from '@memgate/testkit';
import { describe, expect, it } from 'vitest';
import { ProviderRegistry } from '../lifecycle/provider-registry.js';
import { validateConfig } from './validate-config.js';

describe('plugins without a connection string', () => {
  it('accepts a strict plugin schema that has no connectionString and opens a working provider', async () => {
    const entry = { name: 'scratch', provider_type: 'memory', connection_string: 'memory://scratch' };
    expect(validateConfig({ providers: [entry] }, { plugins: [inMemoryProviderPlugin], env: {} }).problems).toEqual([]);
    const registry = new ProviderRegistry({ plugins: [inMemoryProviderPlugin], env: {} });
    await registry.register(entry);
    const provider = registry.provider('scratch')!;
    const [added] = await provider.add([{ memory: 'likes foxes', userId: 'u1' }]);
    expect((await provider.get(added!.id))?.memory).toBe('likes foxes');
    await registry.close();
  });

  it('still reports the plugin’s own unknown settings', () => {
    const result = validateConfig({ providers: [{ name: 'scratch', provider_type: 'memory', connection_string: 'memory://x', settings: { size: 1 } }] }, { plugins: [inMemoryProviderPlugin], env: {} });
    expect(result.problems).toEqual([{ path: 'providers[0].settings.size', message: 'unknown field' }]);
  });
});
