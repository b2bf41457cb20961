export { createRedisMemoryProvider, redisProviderCapabilities, type RedisMemoryProvider } from './redis-provider.js';
export { redisProviderSettingsSchema, type RedisProviderSettings } from './redis-provider-settings.js';
export { redisProviderPlugin, REDIS_URL_VARIABLE } from './redis-provider-plugin.js';
export { mapRedisError } from './redis-error.js';
export { redisProviderPlugin as default } from './redis-provider-plugin.js';
