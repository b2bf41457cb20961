import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@memgate/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProviderRegistry } from './open-provider-registry.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase({ prefix: 'memgate_registry' });
}, 30_000);
afterAll(() => database?.drop());

const cwd = mkdtempSync(join(tmpdir(), 'memgate-registry-'));

describe('openProviderRegistry', () => {
  it('applies a config of two PostgreSQL providers and one mem0 provider, and lists all three with their state', async () => {
    writeFileSync(
      join(cwd, 'three.json'),
      JSON.stringify({
        providers: [
          { name: 'pg-a', provider_type: 'postgres', connection_string: 'postgres://postgres@127.0.0.1:5432/a', priority: 10 },
          { name: 'pg-b', provider_type: 'postgres', connection_string: 'postgres://postgres@127.0.0.1:5432/b', priority: 20, enabled: false },
          { name: 'mem0', provider_type: 'mem0', connection_string: 'http://127.0.0.1:9/', settings: { mode: 'platform', apiKey: '${MEM0_API_KEY}' } },
        ],
        routing: { strategy: 'priority' },
      }),
    );
    const env = { MEMGATE_STATE_URL: database.url, MEM0_API_KEY: 'm0-test' };
    const opened = await openProviderRegistry({ env, dataDir: cwd, cwd, configFile: 'three.json' });
    try {
      const listed = await opened.registry.list();
      expect(listed.map(({ name, state, source }) => ({ name, state, source }))).toEqual([
        { name: 'mem0', state: 'active', source: 'config' },
        { name: 'pg-a', state: 'active', source: 'config' },
        { name: 'pg-b', state: 'inactive', source: 'config' },
      ]);
      expect(opened.config?.routing?.strategy).toBe('priority');
      expect(opened.registry.activeProviders().map((provider) => provider.type).sort()).toEqual(['mem0', 'postgres']);
    } finally {
      await opened.close();
    }
    // A second start with the same file changes nothing: the store already matches it.
    const again = await openProviderRegistry({ env, dataDir: cwd, cwd, configFile: 'three.json' });
    try {
      expect((await again.registry.list()).map((record) => record.version)).toEqual([1, 1, 1]);
    } finally {
      await again.close();
    }
  }, 30_000);

  it('passes the file’s management section and the data directory to the registry: the API gets what the operator allowed, no more', async () => {
    writeFileSync(
      join(cwd, 'managed.json'),
      JSON.stringify({
        providers: [{ name: 'local-mem0', provider_type: 'mem0', connection_string: 'http://127.0.0.1:9/', settings: { mode: 'oss', apiKey: '${MEMGATE_ADMIN_KEY}' } }],
        management: { env_allow_list: ['TEAM_MEM0_KEY'], egress: { allow_hosts: ['127.0.0.2'] } },
      }),
    );
    const env = { MEMGATE_STATE_URL: database.url, MEMGATE_ADMIN_KEY: 'admin', TEAM_MEM0_KEY: 'team' };
    const opened = await openProviderRegistry({ env, dataDir: cwd, cwd, configFile: 'managed.json' });
    try {
      // The config file's own entry may name loopback and any variable.
      expect((await opened.registry.get('local-mem0')).source).toBe('config');
      const api = (entry: Record<string, unknown>) => opened.registry.register(entry, { force: true, source: 'api' });
      const mem0 = (name: string, url: string, apiKey: string) => ({ name, provider_type: 'mem0', connection_string: url, settings: { mode: 'oss', apiKey } });
      await expect(api(mem0('allowed', 'http://127.0.0.2:9/', '${TEAM_MEM0_KEY}'))).resolves.toMatchObject({ source: 'api' });
      await expect(api(mem0('loop', 'http://127.0.0.1:9/', '${TEAM_MEM0_KEY}'))).rejects.toThrow('connection_string: refused by the egress policy');
      await expect(api(mem0('admin', 'http://127.0.0.2:9/', '${MEMGATE_ADMIN_KEY}'))).rejects.toThrow('settings.apiKey: environment variable MEMGATE_ADMIN_KEY is not available');
      await expect(api({ name: 'pg-in', provider_type: 'postgres', connection_string: 'pglite://./providers/pg-in', enabled: false })).resolves.toMatchObject({ state: 'inactive' });
      await expect(api({ name: 'pg-out', provider_type: 'postgres', connection_string: 'pglite://../outside', enabled: false })).rejects.toThrow('a PGlite directory must lie inside the gateway data directory');
    } finally {
      await opened.close();
    }
  }, 30_000);

  it('refuses an invalid config file with every problem', async () => {
    writeFileSync(join(cwd, 'bad.json'), JSON.stringify({ providers: [{ name: 'x', provider_type: 'postgres', connection_string: 'nope', timeout: -1 }] }));
    await expect(openProviderRegistry({ env: { MEMGATE_STATE_URL: database.url }, dataDir: cwd, cwd, configFile: 'bad.json' })).rejects.toThrow(
      'bad.json is invalid:\nproviders[0].timeout: expected a positive integer',
    );
  });

  it('discovers PostgreSQL from DATABASE_URL when there is no config', async () => {
    const fresh = await createTestDatabase({ prefix: 'memgate_registry' });
    try {
      const opened = await openProviderRegistry({ env: { MEMGATE_STATE_URL: fresh.url, DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' }, dataDir: cwd, cwd });
      try {
        expect((await opened.registry.list()).map(({ name, source, reason, config }) => ({ name, source, reason, connection: config.connection_string }))).toEqual([
          { name: 'postgres', source: 'discovered', reason: expect.stringContaining('DATABASE_URL'), connection: '${DATABASE_URL}' },
        ]);
      } finally {
        await opened.close();
      }
    } finally {
      await fresh.drop();
    }
  }, 30_000);
});
