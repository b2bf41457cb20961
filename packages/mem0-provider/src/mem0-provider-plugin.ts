import { defineProviderPlugin, type DiscoveredProvider } from '@memgate/core';
import { createMem0MemoryProvider } from './create-mem0-memory-provider.js';
import { mem0ProviderSettingsSchema, type Mem0ProviderSettings } from './mem0-provider-settings.js';

/**
 * The `mem0` provider type for the registry. `discover` finds a Platform provider from `MEM0_API_KEY`
 * (and optional `MEM0_BASE_URL`) and an OSS provider from `MEM0_OSS_URL` (and optional `MEM0_OSS_API_KEY`).
 * Secrets stay `${ENV_VAR}` references; reasons name variables, never values.
 */
export const mem0ProviderPlugin = defineProviderPlugin<Mem0ProviderSettings>({
  type: 'mem0',
  settingsSchema: mem0ProviderSettingsSchema,
  create: (settings, context) => createMem0MemoryProvider({ ...settings, name: settings.name ?? context.name }),
  discover(env) {
    const found: DiscoveredProvider<Mem0ProviderSettings>[] = [];
    if (env.MEM0_API_KEY) {
      found.push({
        name: 'mem0',
        settings: { mode: 'platform', apiKey: '${MEM0_API_KEY}', ...(env.MEM0_BASE_URL && { baseUrl: env.MEM0_BASE_URL }) },
        reason: env.MEM0_BASE_URL ? 'MEM0_API_KEY and MEM0_BASE_URL are set' : 'MEM0_API_KEY is set',
      });
    }
    if (env.MEM0_OSS_URL) {
      found.push({
        name: 'mem0-oss',
        settings: { mode: 'oss', baseUrl: env.MEM0_OSS_URL, ...(env.MEM0_OSS_API_KEY && { apiKey: '${MEM0_OSS_API_KEY}' }) },
        reason: env.MEM0_OSS_API_KEY ? 'MEM0_OSS_URL and MEM0_OSS_API_KEY are set' : 'MEM0_OSS_URL is set',
      });
    }
    return found;
  },
});
