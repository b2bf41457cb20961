import { defineConfig } from 'drizzle-kit';

// The control-plane schema; PostgreSQL 15 features only (PGlite runs 18, the servers 15).
export default defineConfig({
  dialect: 'postgresql',
  casing: 'snake_case',
  schema: './src/schema/all-tables.ts',
  out: './migrations',
  migrations: { table: '__memgate_state_migrations', schema: 'drizzle' },
});
