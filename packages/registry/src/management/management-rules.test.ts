import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ValidationError } from '@memgate/core';
import { describe, expect, it } from 'vitest';
import { configProblemsOf } from '../config/parse-provider-entry.js';
import { validateConfig } from '../config/validate-config.js';
import { InMemoryProviderRegistryStore } from '../lifecycle/in-memory-provider-registry-store.js';
import { ProviderRegistry, type ProviderRegistryOptions } from '../lifecycle/provider-registry.js';
import { publicLookup } from '../test-support/public-lookup.js';
import { createTestProviderPlugin } from '../test-support/test-provider-plugin.js';

const env = { ADMIN_KEY: 'the-admin-key', TEAM_KEY: 'team-key', TEST_URL: 'test://team' };
const entry = { name: 'alpha', provider_type: 'test', connection_string: 'test://alpha' };
const directory = mkdtempSync(join(tmpdir(), 'memgate-management-'));

function setup(options: Partial<ProviderRegistryOptions> = {}) {
  const { plugin, log } = createTestProviderPlugin();
  const imported: string[] = [];
  const registry = new ProviderRegistry({
    plugins: [plugin],
    env,
    lookup: publicLookup,
    importModule: async (name) => {
      imported.push(name);
      return import(name);
    },
    ...options,
  });
  return { registry, log, imported };
}

async function problemsOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(ValidationError.isInstance(error)).toBe(true);
  return configProblemsOf(error);
}

// A module that would leave a mark if it ever ran.
function markingModule(): { specifier: string; mark: string } {
  const mark = join(directory, `ran-${Math.random().toString(36).slice(2)}`);
  const code = `import { writeFileSync } from 'node:fs'; writeFileSync(${JSON.stringify(mark)}, 'ran');`;
  return { specifier: `data:text/javascript,${encodeURIComponent(code)}`, mark };
}

describe('plugin modules from the management API', () => {
  it('never imports a module the API names (data: URL, file URL, package), on register or configure', async () => {
    const { registry, imported } = setup();
    const { specifier, mark } = markingModule();
    const file = join(directory, 'plugin.mjs');
    writeFileSync(file, `import { writeFileSync } from 'node:fs'; writeFileSync(${JSON.stringify(`${file}.ran`)}, 'ran');`);
    for (const module of [specifier, pathToFileURL(file).href, file, '@acme/memgate-x']) {
      expect(await problemsOf(registry.register({ ...entry, module }))).toEqual([
        { path: 'module', message: 'plugin modules load only from the config file, or from a package listed in management.plugin_modules' },
      ]);
    }
    await registry.register(entry);
    expect(await problemsOf(registry.configure('alpha', { module: specifier }))).toMatchObject([{ path: 'module' }]);
    expect(imported).toEqual([]);
    expect(existsSync(mark)).toBe(false);
    expect(existsSync(`${file}.ran`)).toBe(false);
  });

  it('loads a package on management.plugin_modules, and any module from the config file', async () => {
    const { registry, imported } = setup({ management: { plugin_modules: ['@acme/memgate-x'] } });
    expect(await problemsOf(registry.register({ ...entry, module: '@acme/memgate-x' }))).toEqual([{ path: 'module', message: "plugin module '@acme/memgate-x' is not installed (cannot be found)" }]);
    expect(imported).toEqual(['@acme/memgate-x']);
    const fixture = new URL('../test-support/test-plugin-module.ts', import.meta.url).href;
    await expect(registry.register({ name: 'acme', provider_type: 'acme', connection_string: 'test://acme', module: fixture }, { source: 'config' })).resolves.toMatchObject({ source: 'config' });
  });

  it('does not import an API-written module when a change arrives from another process with wider rules', async () => {
    const store = new InMemoryProviderRegistryStore();
    const { specifier, mark } = markingModule();
    const errors: Error[] = [];
    const reader = setup({ store, onError: (error) => errors.push(error) });
    await reader.registry.start();
    // The other process wrote it (its own rules, or older code); this one must not import it.
    await store.insert({ config: { ...entry, module: specifier, priority: 100, enabled: true, health_check_interval: 30, timeout: 5000, retry_attempts: 3, weight: 1, security_level: 'api_key' }, state: 'active', source: 'api' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(reader.registry.provider('alpha')).toBeUndefined();
    expect(reader.imported).toEqual([]);
    expect(existsSync(mark)).toBe(false);
    expect(errors.map((error) => error.message)).toEqual([expect.stringMatching(/^provider 'alpha' was not opened: module: plugin modules load only from the config file/)]);
    await reader.registry.close();
  });
});

describe('${ENV} references from the management API', () => {
  it('refuses a name off the allow-list with one message, whether the variable is set or not', async () => {
    const { registry } = setup({ management: { env_allow_list: ['TEAM_KEY'] } });
    const set = await problemsOf(registry.register({ ...entry, settings: { apiKey: '${ADMIN_KEY}' } }));
    const unset = await problemsOf(registry.register({ ...entry, settings: { apiKey: '${NOT_SET_ANYWHERE}' } }));
    expect(set).toEqual([{ path: 'settings.apiKey', message: expect.stringContaining('environment variable ADMIN_KEY is not available to the management API') }]);
    expect(unset![0]!.message.replace('NOT_SET_ANYWHERE', 'ADMIN_KEY')).toBe(set![0]!.message);
    expect(await problemsOf(registry.register({ ...entry, connection_string: '${TEST_URL}' }))).toMatchObject([{ path: 'connection_string' }]);
    await expect(registry.register({ ...entry, settings: { apiKey: '${TEAM_KEY}' } })).resolves.toMatchObject({ state: 'active' });
    expect(await problemsOf(registry.configure('alpha', { settings: { apiKey: 'x-${ADMIN_KEY}' } }))).toMatchObject([{ path: 'settings.apiKey' }]);
  });

  it('lets config-file entries reference anything, and an API patch of one is checked only in the fields it writes', async () => {
    const { registry, log } = setup();
    await registry.register({ ...entry, connection_string: '${TEST_URL}', settings: { apiKey: '${ADMIN_KEY}' } }, { source: 'config' });
    expect(log.settings.alpha).toMatchObject({ connectionString: 'test://team', apiKey: 'the-admin-key' });
    await expect(registry.configure('alpha', { timeout: 900 })).resolves.toMatchObject({ source: 'config', config: { timeout: 900 } });
    expect(await problemsOf(registry.configure('alpha', { settings: { apiKey: '${ADMIN_KEY}' } }))).toMatchObject([{ path: 'settings.apiKey' }]);
  });
});

describe('the egress policy on management API entries', () => {
  const loopback = async () => ['127.0.0.1'];

  it('refuses an API connection string or URL setting that reaches a loopback address, even with force and via configure', async () => {
    const { registry, log } = setup({ lookup: loopback });
    expect(await problemsOf(registry.register(entry, { force: true }))).toEqual([{ path: 'connection_string', message: expect.stringMatching(/^refused by the egress policy: alpha resolves to a loopback address/) }]);
    expect(log.created).toEqual([]);
    await registry.register(entry, { source: 'config' });
    expect(await problemsOf(registry.configure('alpha', { connection_string: 'test://127.0.0.1:9' }, { force: true }))).toMatchObject([{ path: 'connection_string' }]);
  });

  it('admits what management.egress allows', async () => {
    const { registry } = setup({ lookup: loopback, management: { egress: { allow_hosts: ['127.0.0.0/8'] } } });
    await expect(registry.register(entry)).resolves.toMatchObject({ state: 'active' });
  });

  it('re-checks an API provider when it is activated', async () => {
    let answer = ['203.0.113.10'];
    const { registry } = setup({ lookup: async () => answer });
    await registry.register(entry);
    await registry.deactivate('alpha');
    answer = ['169.254.169.254'];
    expect(await problemsOf(registry.activate('alpha'))).toEqual([{ path: 'connection_string', message: expect.stringContaining('metadata address') }]);
  });
});

describe('the management section of a config file', () => {
  it('is validated strictly, with every problem by path', () => {
    const result = validateConfig({
      providers: [],
      management: { plugin_modules: ['@acme/memgate-x', 'data:text/javascript,1', '../x.js'], env_allow_list: ['TEAM_KEY', 'no-dashes'], egress: { allow_private: 'yes', allow_hosts: ['10.0.0.5', 'mem0.internal', '10.0.0.0/33', 'http://x'] }, colour: 1 },
    });
    expect(result.problems).toEqual([
      { path: 'management.colour', message: 'unknown field' },
      { path: 'management.egress.allow_hosts[2]', message: 'expected a hostname, an IP address or a CIDR block' },
      { path: 'management.egress.allow_hosts[3]', message: 'expected a hostname, an IP address or a CIDR block' },
      { path: 'management.egress.allow_private', message: 'expected true or false' },
      { path: 'management.env_allow_list[1]', message: 'expected an environment variable name' },
      { path: 'management.plugin_modules[1]', message: 'expected an npm package name (no paths, URLs or data: specifiers)' },
      { path: 'management.plugin_modules[2]', message: 'expected an npm package name (no paths, URLs or data: specifiers)' },
    ]);
    const valid = validateConfig({ management: { plugin_modules: ['@acme/memgate-x'], env_allow_list: ['TEAM_MEM0_KEY'], egress: { allow_private: false, allow_hosts: ['10.0.0.5', 'mem0.internal'] } } });
    expect(valid.config?.management).toEqual({ plugin_modules: ['@acme/memgate-x'], env_allow_list: ['TEAM_MEM0_KEY'], egress: { allow_private: false, allow_hosts: ['10.0.0.5', 'mem0.internal'] } });
  });
});
