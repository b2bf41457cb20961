import { defineProviderPlugin } from '@memgate/core';
import { describe, expect, it } from 'vitest';
import { providerConfigSchema } from '../config/provider-config-schema.js';
import { createTestProviderPlugin } from '../test-support/test-provider-plugin.js';
import { discoverProviders } from './discover-providers.js';

const { plugin } = createTestProviderPlugin();
const env = { TEST_PROVIDER_URL: 'test://found' };

describe('discoverProviders', () => {
  it('asks every plugin and marks what it finds as discovered, with the plugin’s reason', () => {
    const report = discoverProviders(env, [plugin]);
    expect(report.providers).toEqual([
      {
        source: 'discovered',
        reason: 'TEST_PROVIDER_URL is set',
        config: providerConfigSchema.parse({ name: 'test-discovered', provider_type: 'test', connection_string: '${TEST_PROVIDER_URL}' }),
      },
    ]);
    expect(discoverProviders({}, [plugin]).providers).toEqual([]);
  });

  it('lets an explicit entry with the same name win', () => {
    const explicit = providerConfigSchema.parse({ name: 'test-discovered', provider_type: 'test', connection_string: 'test://elsewhere' });
    const report = discoverProviders(env, [plugin], [explicit]);
    expect(report.providers).toEqual([]);
    expect(report.shadowed).toMatchObject([{ shadowedBy: 'test-discovered', sameAs: 'name' }]);
  });

  it('lets an explicit entry pointing at the same backend win, comparing resolved connection strings', () => {
    const explicit = providerConfigSchema.parse({ name: 'main', provider_type: 'test', connection_string: 'test://found' });
    const report = discoverProviders(env, [plugin], [explicit]);
    expect(report.providers).toEqual([]);
    expect(report.shadowed).toMatchObject([{ shadowedBy: 'main', sameAs: 'connection_string', config: { name: 'test-discovered' } }]);
  });

  it('reports a plugin whose discover throws instead of failing', () => {
    const faulty = defineProviderPlugin({
      type: 'faulty',
      settingsSchema: plugin.settingsSchema,
      create: plugin.create,
      discover: () => {
        throw new Error('cannot read env');
      },
    });
    const report = discoverProviders(env, [faulty, plugin]);
    expect(report.errors).toEqual([{ type: 'faulty', message: 'cannot read env' }]);
    expect(report.providers).toHaveLength(1);
  });
});
