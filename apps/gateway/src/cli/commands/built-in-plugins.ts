import type { ProviderPlugin } from '@memgate/core';
import { mem0ProviderPlugin } from '@memgate/mem0';
import { postgresProviderPlugin } from '@memgate/postgres';

/** The provider types memgate ships; third-party types are loaded by `"module"` in config. */
export const builtInProviderPlugins: readonly ProviderPlugin[] = [postgresProviderPlugin, mem0ProviderPlugin];
