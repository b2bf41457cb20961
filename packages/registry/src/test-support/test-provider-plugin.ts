import { defineProviderPlugin, ProviderUnavailableError, UnsupportedCapabilityError, type MemoryProviderV1 } from '@memgate/core';
import { z } from 'zod';

/** Settings of the test plugin: `connectionString` must be `test://<anything>`. */
const settingsSchema = z.strictObject({
  connectionString: z.string().startsWith('test://', { error: 'expected a test:// URL' }),
  apiKey: z.string().optional(),
  /** Makes the probe fail, to test refusals. */
  down: z.boolean().optional(),
});

/** What the test plugin has done, for assertions. */
export interface TestPluginLog {
  created: string[];
  closed: string[];
  settings: Record<string, z.output<typeof settingsSchema>>;
}

/**
 * A tiny provider plugin for the registry's tests (testkit's in-memory provider may replace it):
 * it creates providers whose probe answers unless `down`, logs creates and closes, and discovers
 * one provider from `TEST_PROVIDER_URL`.
 */
export function createTestProviderPlugin(type = 'test') {
  const log: TestPluginLog = { created: [], closed: [], settings: {} };
  const plugin = defineProviderPlugin({
    type,
    settingsSchema,
    create(settings, { name }): MemoryProviderV1 {
      log.created.push(name);
      log.settings[name] = settings;
      const unsupported = async (): Promise<never> => {
        throw new UnsupportedCapabilityError({ message: 'the test provider stores nothing' });
      };
      return {
        specificationVersion: 'v1',
        type,
        name,
        capabilities: { vectorSearch: false, fullTextSearch: false, history: false, metadataFilters: false, callerIds: false, batchWrites: false, inference: false },
        add: unsupported,
        get: unsupported,
        list: unsupported,
        search: unsupported,
        update: unsupported,
        delete: unsupported,
        deleteAll: unsupported,
        history: unsupported,
        async probe() {
          if (settings.down) throw new ProviderUnavailableError({ message: 'connection refused', providerId: name });
          return { latencyMs: 0 };
        },
        async close() {
          log.closed.push(name);
        },
      };
    },
    discover(env) {
      const url = env.TEST_PROVIDER_URL;
      return url ? [{ name: `${type}-discovered`, settings: { connectionString: '${TEST_PROVIDER_URL}' }, reason: 'TEST_PROVIDER_URL is set' }] : [];
    },
  });
  return { plugin, log };
}
