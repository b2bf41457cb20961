import type { ProviderPlugin } from '@memgate/core';
import { mem0ProviderPlugin } from '@memgate/mem0';
import { postgresProviderPlugin } from '@memgate/postgres';
import { redisProviderPlugin } from '@memgate/redis';
import { inMemoryProviderPlugin } from '@memgate/testkit';

/**
 * The provider types memgate ships: `postgres`, `mem0`, `redis` and `memory` (the in-memory reference
 * provider, for trials and tests; it keeps nothing across restarts). Third-party types are loaded by
 * `"module"` in config.
 */
export const builtInProviderPlugins: readonly ProviderPlugin[] = [postgresProviderPlugin, mem0ProviderPlugin, redisProviderPlugin, inMemoryProviderPlugin];
