import { defineProviderPlugin } from '@memgate/core';
import { inMemoryProviderPlugin } from '@memgate/testkit';
import { z } from 'zod';
import { discoverProviders } from '../discovery/discover-providers.js';
import { describe, expect, it } from 'vitest';
import { ProviderRegistry } from '../lifecycle/provider-registry.js';
import { validateConfig } from './validate-config.js';

// Shaped like @memgate/mem0: the endpoint is `baseUrl`, optional (the plugin has a default).
const created: unknown[] = [];
const baseUrlPlugin = defineProviderPlugin({
  type: 'hosted',
  settingsSchema: z.strictObject({ mode: z.enum(['cloud', 'self']), baseUrl: z.url({ protocol: /^https?$/ }).optional() }),
  create: (settings, context) => {
    created.push(settings);
    return inMemoryProviderPlugin.create({}, context);
  },
  discover: (env) => (env.HOSTED_KEY ? [{ name: 'hosted', settings: { mode: 'cloud' as const }, reason: 'HOSTED_KEY is set' }] : []),
});

describe('plugins that take the connection string as baseUrl', () => {
  it('hands connection_string to the plugin as baseUrl and reports its errors at connection_string', async () => {
    const entry = { name: 'h', provider_type: 'hosted', connection_string: 'http://127.0.0.1:9/', settings: { mode: 'self' } };
    expect(validateConfig({ providers: [entry] }, { plugins: [baseUrlPlugin], env: {} }).problems).toEqual([]);
    const registry = new ProviderRegistry({ plugins: [baseUrlPlugin], env: {} });
    // A loopback endpoint is the operator's to name (config file); the API is refused it by the egress policy.
    await expect(registry.register(entry)).rejects.toThrow('connection_string: refused by the egress policy: 127.0.0.1 is a loopback address');
    await registry.register(entry, { source: 'config' });
    expect(created.at(-1)).toEqual({ mode: 'self', baseUrl: 'http://127.0.0.1:9/' });
    const bad = validateConfig({ providers: [{ ...entry, connection_string: 'ftp://files' }] }, { plugins: [baseUrlPlugin], env: {} });
    expect(bad.problems).toEqual([{ path: 'providers[0].connection_string', message: expect.stringMatching(/URL|protocol/i) }]);
    await registry.close();
  });

  it('discovers a provider without a URL as <type>://default, which the plugin receives as no setting', async () => {
    const [found] = discoverProviders({ HOSTED_KEY: 'x' }, [baseUrlPlugin]).providers;
    expect(found?.config).toMatchObject({ connection_string: 'hosted://default', settings: { mode: 'cloud' } });
    const registry = new ProviderRegistry({ plugins: [baseUrlPlugin], env: {} });
    await registry.register(found!.config, { source: 'discovered', reason: found!.reason });
    expect(created.at(-1)).toEqual({ mode: 'cloud' });
    await registry.close();
  });
});

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
