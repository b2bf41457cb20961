import { fileURLToPath } from 'node:url';

// src/ and dist/ both sit one level under the package root, beside migrations/.
/** Where the committed migrations are, and the table that records which ran. */
export const stateMigrations = {
  migrationsFolder: fileURLToPath(new URL('../../migrations', import.meta.url)),
  migrationsTable: '__memgate_state_migrations',
  migrationsSchema: 'drizzle',
};
