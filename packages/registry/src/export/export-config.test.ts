import { publicLookup } from '../test-support/public-lookup.js';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../config/validate-config.js';
import { applyConfig } from '../lifecycle/apply-config.js';
import { ProviderRegistry } from '../lifecycle/provider-registry.js';
import { createTestProviderPlugin } from '../test-support/test-provider-plugin.js';
import { exportConfig } from './export-config.js';

const { plugin } = createTestProviderPlugin();
const env = { ALPHA_KEY: 'alpha-secret-1234', TEST_PROVIDER_URL: 'test://found' };

const file = {
  providers: [
    { name: 'alpha', provider_type: 'test', connection_string: 'test://alpha', priority: 10, settings: { apiKey: '${ALPHA_KEY}' } },
    { name: 'beta', provider_type: 'test', connection_string: 'test://beta', enabled: false, timeout: 750, security_level: 'rbac' },
  ],
  routing: { strategy: 'hybrid', write_quorum: 1 },
};

describe('exportConfig', () => {
  it('writes a config that reproduces the registry exactly when imported', async () => {
    const parsed = validateConfig(file, { plugins: [plugin], env });
    expect(parsed.problems).toEqual([]);
    const original = new ProviderRegistry({ plugins: [plugin], env, lookup: publicLookup, management: { env_allow_list: ['ALPHA_KEY'] } });
    await applyConfig(original, parsed.config!);
    await original.configure('alpha', { retry_attempts: 5 });
    await original.activate('beta');

    const exported = await exportConfig(original, { routing: parsed.config!.routing });
    expect(exported.requiredEnv).toEqual([]);
    expect(JSON.stringify(exported.config)).toContain('${ALPHA_KEY}');
    expect(JSON.stringify(exported.config)).not.toContain('alpha-secret');

    const reparsed = validateConfig(JSON.parse(JSON.stringify(exported.config)), { plugins: [plugin], env });
    expect(reparsed.problems).toEqual([]);
    const copy = new ProviderRegistry({ plugins: [plugin], env, lookup: publicLookup, management: { env_allow_list: ['ALPHA_KEY'] } });
    await applyConfig(copy, reparsed.config!);
    const shape = (records: Awaited<ReturnType<ProviderRegistry['list']>>) => records.map(({ name, state, config }) => ({ name, state, config }));
    expect(shape(await copy.list())).toEqual(shape(await original.list()));
    expect(reparsed.config!.routing).toEqual(parsed.config!.routing);
  });

  it('never writes a literal secret: it becomes a reference the importer must set', async () => {
    const registry = new ProviderRegistry({ plugins: [plugin], env, lookup: publicLookup, management: { env_allow_list: ['ALPHA_KEY'] } });
    await registry.register({ name: 'gamma', provider_type: 'test', connection_string: 'test://user:pw-123@gamma', settings: { apiKey: 'literal-key-999' } });
    const exported = await exportConfig(registry);
    expect(JSON.stringify(exported.config)).not.toMatch(/pw-123|literal-key-999/);
    expect(exported.requiredEnv).toEqual(['MEMGATE_GAMMA_CONNECTION_STRING', 'MEMGATE_GAMMA_SETTINGS_APIKEY']);
    expect(exported.config.providers?.[0]).toMatchObject({ connection_string: '${MEMGATE_GAMMA_CONNECTION_STRING}', settings: { apiKey: '${MEMGATE_GAMMA_SETTINGS_APIKEY}' } });
  });

  it('leaves discovered providers out unless asked, since a fresh start rediscovers them', async () => {
    const registry = new ProviderRegistry({ plugins: [plugin], env, lookup: publicLookup, management: { env_allow_list: ['ALPHA_KEY'] } });
    await applyConfig(registry, { providers: [] }, { discovered: [{ source: 'discovered', reason: 'TEST_PROVIDER_URL is set', config: validateConfig({ providers: [{ name: 'found', provider_type: 'test', connection_string: '${TEST_PROVIDER_URL}' }] }, { plugins: [plugin], env }).config!.providers[0]! }] });
    expect((await registry.get('found')).source).toBe('discovered');
    expect((await exportConfig(registry)).config.providers).toEqual([]);
    expect((await exportConfig(registry, { includeDiscovered: true })).config.providers).toHaveLength(1);
  });
});
