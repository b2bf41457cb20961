import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProviderRegistry, validateConfig } from '@memgate/registry';
import { createStateStore } from '@memgate/state';
import { createTestDatabase } from '@memgate/testkit';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../cli-command.js';
import { builtInProviderPlugins } from './built-in-plugins.js';
import { configCommand } from './config.js';
import { providersCommand } from './providers.js';

function capture(env: Record<string, string> = {}): CliIo & { out: string; err: string } {
  const io = { out: '', err: '', env, cwd: mkdtempSync(join(tmpdir(), 'memgate-config-')) };
  return Object.assign(io, { stdout: (text: string) => void (io.out += text), stderr: (text: string) => void (io.err += text) });
}

const pg = { name: 'pg-main', provider_type: 'postgres', connection_string: 'postgres://app@127.0.0.1:5432/mem' };
const mem0 = { name: 'mem0', provider_type: 'mem0', connection_string: 'http://127.0.0.1:8765', settings: { mode: 'oss', apiKey: '${MEM0_OSS_API_KEY}' } };

describe('memgate config validate', () => {
  it('accepts a valid file, serve settings included, and names its providers', async () => {
    const io = capture({ MEM0_OSS_API_KEY: 'k' });
    writeFileSync(join(io.cwd, 'ok.json'), JSON.stringify({ port: 9000, providers: [pg, mem0], routing: { strategy: 'hybrid' } }));
    expect(await configCommand.run(['validate', 'ok.json'], io)).toBe(0);
    expect(io.out).toBe('ok.json: valid (2 providers: pg-main, mem0)\n');
  });

  it('prints every problem by path and reason and exits 1', async () => {
    const io = capture();
    writeFileSync(join(io.cwd, 'bad.json'), JSON.stringify({ colour: 'x', providers: [{ ...pg, timeout: -1 }, { ...pg, provider_type: 'oracle' }, mem0] }));
    expect(await configCommand.run(['validate', 'bad.json'], io)).toBe(1);
    expect(io.err.split('\n')).toEqual([
      'bad.json: 5 problems',
      'colour: unknown field',
      'providers[0].timeout: expected a positive integer',
      "providers[1].name: duplicate provider name 'pg-main' (also providers[0])",
      "providers[1].provider_type: unknown provider type 'oracle' (known: postgres, mem0, redis, memory; set \"module\" to load a plugin package)",
      'providers[2].settings.apiKey: environment variable MEM0_OSS_API_KEY is not set',
      '',
    ]);
  });

  it('says when the file is not JSON', async () => {
    const io = capture();
    writeFileSync(join(io.cwd, 'broken.json'), '{ providers: ');
    expect(await configCommand.run(['validate', 'broken.json'], io)).toBe(1);
    expect(io.err).toMatch(/^broken\.json: not valid JSON/);
  });
});

describe('memgate config export', () => {
  it('writes the live registry from the state store as a config that validates and keeps references', async () => {
    const database = await createTestDatabase({ prefix: 'memgate_cli' });
    try {
      const store = await createStateStore({ url: database.url });
      const registry = new ProviderRegistry({ plugins: builtInProviderPlugins, store: store.providers, env: { MEM0_OSS_API_KEY: 'k' } });
      await registry.register(mem0, { force: true, source: 'config' });
      await registry.register({ ...pg, enabled: false, priority: 5 }, { force: true, source: 'config' });
      await registry.close();
      await store.close();

      const io = capture({ MEMGATE_STATE_URL: database.url, MEM0_OSS_API_KEY: 'k' });
      expect(await configCommand.run(['export'], io)).toBe(0);
      const exported = JSON.parse(io.out);
      expect(exported.providers.map((entry: { name: string; enabled: boolean }) => [entry.name, entry.enabled])).toEqual([
        ['mem0', true],
        ['pg-main', false],
      ]);
      expect(io.out).toContain('${MEM0_OSS_API_KEY}');
      expect(validateConfig(exported, { plugins: builtInProviderPlugins, env: { MEM0_OSS_API_KEY: 'k' } }).problems).toEqual([]);
    } finally {
      await database.drop();
    }
  }, 30_000);
});

describe('memgate providers discover', () => {
  it('shows what the environment describes and why, never a secret', async () => {
    const io = capture({ DATABASE_URL: 'postgres://app:hunter2@db:5432/mem', MEM0_API_KEY: 'm0-secret' });
    expect(await providersCommand.run(['discover'], io)).toBe(0);
    expect(io.out).toContain('postgres (postgres) at ${DATABASE_URL}');
    expect(io.out).toContain('because DATABASE_URL is set');
    expect(io.out).toContain('mem0 (mem0) at mem0://default');
    expect(io.out).not.toMatch(/hunter2|m0-secret/);
  });

  it('lists discoveries that the config file overrides', async () => {
    const io = capture({ DATABASE_URL: 'postgres://app@127.0.0.1:5432/mem' });
    writeFileSync(join(io.cwd, 'c.json'), JSON.stringify({ providers: [pg] }));
    expect(await providersCommand.run(['discover', '--config', 'c.json'], io)).toBe(0);
    expect(io.out).toContain('overridden postgres (postgres) at ${DATABASE_URL}\n          by "pg-main" in the config (same connection_string)');
  });
});
