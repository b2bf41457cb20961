import { defineProviderPlugin } from '@memgate/core';
import { createPostgresMemoryProvider } from './create-postgres-memory-provider.js';
import { discoverPostgresProviders } from './discover-postgres-providers.js';
import { postgresProviderSettingsSchema, type PostgresProviderSettings } from './postgres-provider-settings.js';

/** The `postgres` provider type for memgate's registry: settings schema, factory and discovery. */
export const postgresProviderPlugin = defineProviderPlugin<PostgresProviderSettings>({
  type: 'postgres',
  settingsSchema: postgresProviderSettingsSchema,
  create: (settings, context) => createPostgresMemoryProvider({ ...settings, name: context.name }),
  discover: discoverPostgresProviders,
});
