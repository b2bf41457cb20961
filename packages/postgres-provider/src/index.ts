export { createPostgresMemoryProvider, type PostgresMemoryProvider } from './create-postgres-memory-provider.js';
export {
  postgresEmbedderSettingsSchema,
  postgresProviderSettingsSchema,
  type PostgresEmbedderSettings,
  type PostgresProviderSettings,
} from './postgres-provider-settings.js';
export { postgresProviderPlugin } from './postgres-provider-plugin.js';
export { discoverPostgresProviders } from './discover-postgres-providers.js';
export type { PostgresDatabase, PostgresDrizzle } from './connection/postgres-database.js';
export { memories, type MemoryRow, type NewMemoryRow } from './schema/memories.js';
export { memoryHistory, type MemoryHistoryRow } from './schema/memory-history.js';
export { memoryEmbeddings } from './schema/memory-embeddings.js';
