import type { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import * as tables from '../schema/all-tables.js';
import { stateMigrations } from './migrations-folder.js';
import { changeChannel, type StateDatabase, type StateDrizzle } from './state-database.js';

/**
 * Opens embedded PGlite (a data directory, or memory when `dataDir` is undefined) and applies the
 * migrations. Notifications stay within this process: PGlite serves one process only.
 */
export async function openPgliteStateDatabase(options: { dataDir?: string; pglite?: PGlite }): Promise<StateDatabase> {
  let client = options.pglite;
  if (!client) {
    const { PGlite } = await import('@electric-sql/pglite');
    client = await PGlite.create(options.dataDir);
  }
  const opened = client;
  const owned = options.pglite === undefined;
  try {
    const db = drizzle({ client: opened, schema: tables, casing: 'snake_case' });
    await migrate(db, stateMigrations);
    return {
      driver: 'pglite',
      db: db as unknown as StateDrizzle,
      notifications: {
        async listen(listener) {
          const unlisten = await opened.listen(changeChannel, listener);
          return async () => unlisten();
        },
      },
      close: async () => (owned ? opened.close() : undefined),
    };
  } catch (error) {
    if (owned) await opened.close().catch(() => undefined);
    throw error;
  }
}
