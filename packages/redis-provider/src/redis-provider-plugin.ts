import { defineProviderPlugin } from '@memgate/core';
import { createRedisMemoryProvider } from './redis-provider.js';
import { redisProviderSettingsSchema, type RedisProviderSettings } from './redis-provider-settings.js';

/** The environment variable whose presence makes {@link redisProviderPlugin}'s `discover` find a provider. */
export const REDIS_URL_VARIABLE = 'REDIS_URL';

/**
 * How memgate's registry learns the `redis` provider type: it validates the config's
 * `settings` with `settingsSchema`, creates instances with `create`, and asks `discover` what the
 * environment offers. A third-party package exports this object (by name or as the default export)
 * and is loaded with `"module": "@memgate/redis"` in the config.
 */
export const redisProviderPlugin = defineProviderPlugin<RedisProviderSettings>({
  type: 'redis',
  settingsSchema: redisProviderSettingsSchema,
  create: (settings, context) => createRedisMemoryProvider({ ...settings, name: context.name }),
  // Reads only `env`, returns the variable's name and never its value: the URL may hold a password,
  // so the settings carry a `${VAR}` reference that the registry resolves at use.
  discover: (env) =>
    env[REDIS_URL_VARIABLE]
      ? [{ name: 'redis', settings: { connectionString: `\${${REDIS_URL_VARIABLE}}` }, reason: `${REDIS_URL_VARIABLE} is set` }]
      : [],
});
