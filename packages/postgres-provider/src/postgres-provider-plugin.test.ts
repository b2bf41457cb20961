import { isProviderPlugin, ValidationError } from '@memgate/core';
import { describe, expect, it } from 'vitest';
import { resolveEnvReferences } from './connection/resolve-env-references.js';
import { createPostgresMemoryProvider } from './create-postgres-memory-provider.js';
import { postgresProviderPlugin } from './postgres-provider-plugin.js';

const validationField = (work: () => unknown): string | undefined => {
  try {
    work();
  } catch (error) {
    return ValidationError.isInstance(error) ? (error.field ?? '(none)') : `not a ValidationError: ${String(error)}`;
  }
  return undefined;
};

describe('postgres provider plugin', () => {
  it('is a provider plugin of type postgres whose create makes a named v1 provider without connecting', async () => {
    expect(isProviderPlugin(postgresProviderPlugin)).toBe(true);
    // Port 1 on loopback: nothing listens, but nothing is tried until the first call.
    const provider = postgresProviderPlugin.create({ connectionString: 'postgres://postgres@127.0.0.1:1/none' }, { name: 'mine' });
    expect({ type: provider.type, name: provider.name, version: provider.specificationVersion }).toEqual({ type: 'postgres', name: 'mine', version: 'v1' });
    await provider.close();
  });

  it('discover finds nothing in an empty environment and ignores a non-postgres DATABASE_URL', () => {
    expect(postgresProviderPlugin.discover?.({})).toEqual([]);
    expect(postgresProviderPlugin.discover?.({ DATABASE_URL: 'mysql://x@y/z' })).toEqual([]);
  });

  it('discover prefers DATABASE_URL, then POSTGRES_URL, as references that never copy the password', () => {
    const env = { DATABASE_URL: 'postgres://app:s3cret@db:5432/app', POSTGRES_URL: 'postgresql://other:pw@db2/x' };
    const [found] = postgresProviderPlugin.discover?.(env) ?? [];
    expect(found).toMatchObject({ name: 'postgres', settings: { connectionString: '${DATABASE_URL}' } });
    expect(found?.reason).toContain('DATABASE_URL');
    expect(JSON.stringify(found)).not.toContain('s3cret');
    const [second] = postgresProviderPlugin.discover?.({ POSTGRES_URL: env.POSTGRES_URL }) ?? [];
    expect(second?.settings).toEqual({ connectionString: '${POSTGRES_URL}' });
  });

  it('discover builds a URL from the PG* variables, keeps the password a reference and names the variables', () => {
    const env = { PGHOST: 'db.internal', PGPORT: '6543', PGUSER: 'memgate', PGPASSWORD: 'p@ss/word', PGDATABASE: 'memories' };
    const [found] = postgresProviderPlugin.discover?.(env) ?? [];
    expect(found?.settings).toEqual({ connectionString: 'postgres://memgate:${PGPASSWORD}@db.internal:6543/memories' });
    expect(found?.reason).toBe('libpq variables PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE are set');
    expect(JSON.stringify(found)).not.toContain('p@ss');
    // Resolved on first use, the password is percent-encoded inside the URL.
    expect(resolveEnvReferences(found!.settings.connectionString!, 'connectionString', env)).toBe('postgres://memgate:p%40ss%2Fword@db.internal:6543/memories');
    expect(postgresProviderPlugin.settingsSchema.safeParse(found!.settings).success).toBe(true);
  });

  it('an unset referenced variable is a ValidationError naming the setting', () => {
    expect(validationField(() => resolveEnvReferences('${NOT_SET_ANYWHERE}', 'connectionString', {}))).toBe('connectionString');
  });

  it('bad settings are ValidationErrors naming the field', () => {
    expect(validationField(() => createPostgresMemoryProvider({ connectionString: 'mysql://x' }))).toBe('settings.connectionString');
    expect(validationField(() => createPostgresMemoryProvider({ connectionString: 'pglite://memory', colour: 'red' } as never))).toBe('settings');
    expect(validationField(() => createPostgresMemoryProvider({}))).toBe('settings.connectionString');
    expect(validationField(() => createPostgresMemoryProvider({ connectionString: 'pglite://memory', poolSize: 0 }))).toBe('settings.poolSize');
    expect(validationField(() => createPostgresMemoryProvider({ connectionString: 'pglite://memory', embedder: { url: 'ftp://x', model: 'm', dimensions: 3 } }))).toBe('settings.embedder.url');
  });
});
