import { describe, expect, it } from 'vitest';
import { ProviderPluginSet } from '../plugins/provider-plugin-set.js';
import { createTestProviderPlugin } from '../test-support/test-provider-plugin.js';
import { loadConfig } from './load-config.js';

const fixture = new URL('../test-support/test-plugin-module.ts', import.meta.url).href;

describe('loadConfig', () => {
  it('loads the plugin a module entry names and validates its settings with it', async () => {
    const plugins = new ProviderPluginSet([createTestProviderPlugin().plugin]);
    const ok = await loadConfig({ providers: [{ name: 'a', provider_type: 'acme', module: fixture, connection_string: 'test://a' }] }, { plugins, env: {} });
    expect(ok.problems).toEqual([]);
    const bad = await loadConfig({ providers: [{ name: 'a', provider_type: 'acme', module: fixture, connection_string: 'test://a', settings: { down: 'no' } }] }, { plugins, env: {} });
    expect(bad.problems).toEqual([{ path: 'providers[0].settings.down', message: expect.stringMatching(/expected boolean/) }]);
  });

  it('reports a missing module, a module without a plugin, and a type mismatch at their entries', async () => {
    const plugins = new ProviderPluginSet();
    const result = await loadConfig(
      {
        providers: [
          { name: 'a', provider_type: 'redis', module: '@acme/memgate-missing', connection_string: 'redis://h' },
          { name: 'b', provider_type: 'zod', module: 'zod', connection_string: 'x://h' },
          { name: 'c', provider_type: 'redis', module: fixture, connection_string: 'test://c' },
        ],
      },
      { plugins, env: {} },
    );
    expect(result.problems).toEqual([
      { path: 'providers[0].module', message: "plugin module '@acme/memgate-missing' is not installed (cannot be found)" },
      { path: 'providers[1].module', message: expect.stringMatching(/^'zod' does not export a memgate ProviderPlugin/) },
      { path: 'providers[2].provider_type', message: `module '${fixture}' provides type 'acme', not 'redis'` },
    ]);
  });
});
