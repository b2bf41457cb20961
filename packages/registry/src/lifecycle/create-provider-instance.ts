import { parseWithSchema, ProviderUnavailableError, type MemoryProviderV1, type ProviderPlugin } from '@memgate/core';
import { parsePluginSettings } from '../config/check-provider-entry.js';
import type { ProviderConfig } from '../config/provider-config-schema.js';
import { resolveSecretReferencesDeep, type Environment } from '../secrets/secret-references.js';
import { classifyProviderFailure } from './classify-provider-failure.js';

/**
 * Creates the provider an entry describes, resolving `${ENV_VAR}` references now (at use).
 * @throws ValidationError when a reference is unset or the plugin rejects the settings
 */
export function createProviderInstance(config: ProviderConfig, plugin: ProviderPlugin, env: Environment): MemoryProviderV1 {
  const settings = resolveSecretReferencesDeep(config.settings ?? {}, env);
  const connection = resolveSecretReferencesDeep(config.connection_string, env, 'connection_string');
  // Validation already ran at register; this repeats it with today's environment.
  const { parsed, connectionKey } = parsePluginSettings(plugin, settings, config, connection);
  const input = connectionKey ? { ...settings, [connectionKey]: connection } : settings;
  return plugin.create(parsed.success ? parsed.data : parseWithSchema(plugin.settingsSchema, input, 'settings'), { name: config.name });
}

/**
 * Probes a new instance within the entry's `timeout`; closes it and throws when the probe fails.
 * @throws ProviderUnavailableError (not retryable: the caller decides) carrying the probe's error as `cause`; its message
 *   gives only the class of the failure ({@link classifyProviderFailure}), never the provider's own text
 */
export async function probeProviderInstance(provider: MemoryProviderV1, config: ProviderConfig): Promise<void> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), config.timeout);
  try {
    await provider.probe({ deadline: Date.now() + config.timeout, signal: controller.signal });
  } catch (error) {
    await provider.close().catch(() => undefined);
    throw new ProviderUnavailableError({
      message: `provider '${config.name}' failed its probe: ${classifyProviderFailure(error)} (use force to register it anyway)`,
      providerId: config.name,
      isRetryable: false,
      cause: error,
    });
  } finally {
    clearTimeout(timer);
  }
}
