import { defineConfig } from 'drizzle-kit';

// The pgvector schema: a second migration set, applied only where `CREATE EXTENSION vector` works.
export default defineConfig({
  dialect: 'postgresql',
  casing: 'snake_case',
  schema: ['./src/schema/memory-embeddings.ts'],
  out: './migrations-vector',
  migrations: { table: '__memgate_postgres_vector_migrations', schema: 'drizzle' },
});
