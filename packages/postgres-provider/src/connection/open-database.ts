import type { PostgresDatabase } from './postgres-database.js';
import { openPgDatabase } from './open-pg-database.js';
import { openPgliteDatabase } from './open-pglite-database.js';
import { resolveEnvReferences } from './resolve-env-references.js';
import type { PostgresProviderSettings } from '../postgres-provider-settings.js';

/**
 * Opens the database the settings name and migrates it: `pg` for `postgres://` URLs and injected
 * pools, PGlite for `pglite://` URLs and injected instances.
 */
export async function openDatabase(settings: PostgresProviderSettings): Promise<PostgresDatabase> {
  if (settings.pglite) return openPgliteDatabase({ pglite: settings.pglite });
  const common = { poolSize: settings.poolSize ?? 10, statementTimeoutMs: settings.statementTimeoutMs ?? 30_000 };
  if (settings.pool) return openPgDatabase({ ...common, pool: settings.pool });
  const url = resolveEnvReferences(settings.connectionString ?? '', 'connectionString');
  if (url.startsWith('pglite://')) {
    const location = url.slice('pglite://'.length);
    return openPgliteDatabase({ dataDir: location === 'memory' || location === '' ? undefined : location });
  }
  return openPgDatabase({ ...common, connectionString: url });
}
