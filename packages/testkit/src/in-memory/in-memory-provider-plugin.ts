import { defineProviderPlugin, type ProviderPlugin } from '@memgate/core';
import { z } from 'zod';
import { createInMemoryMemoryProvider } from './create-in-memory-memory-provider.js';

/** Settings of the `memory` provider type in config: none (unknown fields are errors). */
export const inMemoryProviderSettingsSchema = z.object({}).strict();

/**
 * The plugin of the reference provider (type `memory`). It discovers nothing: an in-memory
 * store is only ever configured on purpose.
 */
export const inMemoryProviderPlugin: ProviderPlugin<z.infer<typeof inMemoryProviderSettingsSchema>> = defineProviderPlugin({
  type: 'memory',
  settingsSchema: inMemoryProviderSettingsSchema,
  create: (_settings, context) => createInMemoryMemoryProvider({ name: context.name }),
});
