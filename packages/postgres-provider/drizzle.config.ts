import { defineConfig } from 'drizzle-kit';

// The base schema: runs on every PostgreSQL 15+ (the server and PGlite).
export default defineConfig({
  dialect: 'postgresql',
  casing: 'snake_case',
  schema: ['./src/schema/memories.ts', './src/schema/memory-history.ts'],
  out: './migrations',
  migrations: { table: '__memgate_postgres_migrations', schema: 'drizzle' },
});
