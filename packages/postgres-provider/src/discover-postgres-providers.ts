import type { DiscoveredProvider } from '@memgate/core';
import type { PostgresProviderSettings } from './postgres-provider-settings.js';

const urlPattern = /^postgres(ql)?:\/\//;

/**
 * Finds PostgreSQL servers in the environment: `DATABASE_URL`, then `POSTGRES_URL` (each only when
 * it is a `postgres://` URL), then libpq's `PG*` variables when `PGHOST` or `PGDATABASE` is set.
 * Settings carry `${VAR}` references, never the values, so no password is copied; the reason names
 * the variables only.
 */
export function discoverPostgresProviders(env: Readonly<Record<string, string | undefined>>): DiscoveredProvider<PostgresProviderSettings>[] {
  for (const variable of ['DATABASE_URL', 'POSTGRES_URL']) {
    const value = env[variable];
    if (value !== undefined && urlPattern.test(value)) {
      return [{ name: 'postgres', settings: { connectionString: `\${${variable}}` }, reason: `${variable} is set to a postgres:// URL` }];
    }
  }
  if (env.PGHOST === undefined && env.PGDATABASE === undefined) return [];
  const used = ['PGHOST', 'PGPORT', 'PGUSER', 'PGPASSWORD', 'PGDATABASE'].filter((name) => env[name] !== undefined && env[name] !== '');
  // Non-secret parts are written in; the password stays a reference, resolved when the provider connects.
  const host = env.PGHOST ?? '127.0.0.1';
  const user = env.PGUSER ? encodeURIComponent(env.PGUSER) : 'postgres';
  const password = env.PGPASSWORD ? ':${PGPASSWORD}' : '';
  const port = env.PGPORT ? `:${env.PGPORT}` : '';
  const database = env.PGDATABASE ? `/${encodeURIComponent(env.PGDATABASE)}` : '';
  const hostPart = host.startsWith('/') ? `localhost${port}${database}?host=${encodeURIComponent(host)}` : `${host.includes(':') ? `[${host}]` : host}${port}${database}`;
  return [{ name: 'postgres', settings: { connectionString: `postgres://${user}${password}@${hostPart}` }, reason: `libpq variables ${used.join(', ')} are set` }];
}
