import { z } from 'zod';

/**
 * The settings of a Redis provider, as written in a memgate config file (`settings`) and
 * passed to {@link createRedisMemoryProvider}. Strict: an unknown field is a `ValidationError`
 * naming it. The registry hands the plugin `{ ...settings, connectionString }`.
 *
 * TEMPLATE: add your backend's settings here (timeouts, key prefixes, TLS, ...), each with JSDoc
 * stating its unit and default.
 */
export const redisProviderSettingsSchema = z.strictObject({
  /** This instance's name, unique within a gateway. Default `redis`. */
  name: z.string().min(1, 'must not be empty').default('redis'),
  /** Where the backend lives (from the config's `connection_string`). The template ignores it. */
  connectionString: z.string().min(1, 'must not be empty').optional(),
});

/** Settings of {@link createRedisMemoryProvider}, before defaults are applied. */
export type RedisProviderSettings = z.input<typeof redisProviderSettingsSchema>;
