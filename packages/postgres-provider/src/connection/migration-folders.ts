import { fileURLToPath } from 'node:url';

// src/ and dist/ both sit one level under the package root, beside the migration folders.
/** The base migrations (memories, history): every PostgreSQL 15+. */
export const baseMigrations = {
  migrationsFolder: fileURLToPath(new URL('../../migrations', import.meta.url)),
  migrationsTable: '__memgate_postgres_migrations',
  migrationsSchema: 'drizzle',
};

/** The pgvector migrations: applied only where `CREATE EXTENSION vector` works. */
export const vectorMigrations = {
  migrationsFolder: fileURLToPath(new URL('../../migrations-vector', import.meta.url)),
  migrationsTable: '__memgate_postgres_vector_migrations',
  migrationsSchema: 'drizzle',
};
