import type { ProviderPlugin } from '@memgate/core';
import { connectionSettingKeys } from '../config/check-provider-entry.js';
import { providerConfigSchema, type ProviderConfig } from '../config/provider-config-schema.js';
import { resolveSecretReferences, type Environment } from '../secrets/secret-references.js';

/** A provider found in the environment, as a config entry. */
export interface DiscoveredProviderConfig {
  readonly config: ProviderConfig;
  readonly source: 'discovered';
  /** Which variables led to it, from the plugin (never a secret's value). */
  readonly reason: string;
}

/** A discovery that an explicit entry overrides. */
export interface ShadowedDiscovery extends DiscoveredProviderConfig {
  /** The name of the explicit entry that wins. */
  readonly shadowedBy: string;
  /** `name` or `connection_string`: what the two have in common. */
  readonly sameAs: 'name' | 'connection_string';
}

/** What {@link discoverProviders} found. */
export interface DiscoveryReport {
  /** Providers to register. */
  readonly providers: DiscoveredProviderConfig[];
  /** Providers found but overridden by explicit config. */
  readonly shadowed: ShadowedDiscovery[];
  /** Plugins whose `discover` threw or returned an entry that is not valid config. */
  readonly errors: { type: string; message: string }[];
}

/**
 * Asks every plugin's `discover(env)` which providers the environment describes. Explicit config
 * wins: a discovery with the same name or the same connection string as an explicit entry is
 * reported as shadowed. The plugin's `settings.connectionString` (or `baseUrl`, or `url`)
 * becomes `connection_string`; without one it is `<type>://default` (the plugin's default endpoint). Reads only `env`; never throws.
 */
export function discoverProviders(env: Environment, plugins: readonly ProviderPlugin[], explicit: readonly ProviderConfig[] = []): DiscoveryReport {
  const report: DiscoveryReport = { providers: [], shadowed: [], errors: [] };
  const explicitConnections = new Map(explicit.map((entry) => [comparable(entry.connection_string, env), entry.name]));
  const explicitNames = new Set(explicit.map((entry) => entry.name));
  for (const plugin of plugins) {
    let found;
    try {
      found = plugin.discover?.(env) ?? [];
    } catch (error) {
      report.errors.push({ type: plugin.type, message: (error as Error).message });
      continue;
    }
    for (const discovered of found) {
      // The setting that holds the URL becomes `connection_string`; none means the plugin's default endpoint.
      const settings = { ...(discovered.settings as Record<string, unknown>) };
      const key = connectionSettingKeys.find((candidate) => typeof settings[candidate] === 'string');
      const connection = key ? settings[key] : `${plugin.type}://default`;
      if (key) delete settings[key];
      const parsed = providerConfigSchema.safeParse({
        name: discovered.name,
        provider_type: plugin.type,
        connection_string: connection,
        ...(Object.keys(settings).length > 0 ? { settings } : {}),
      });
      if (!parsed.success) {
        report.errors.push({ type: plugin.type, message: `discovered provider '${discovered.name}' is not valid config: ${parsed.error.issues[0]!.message}` });
        continue;
      }
      const entry: DiscoveredProviderConfig = { config: parsed.data, source: 'discovered', reason: discovered.reason };
      const byConnection = explicitConnections.get(comparable(parsed.data.connection_string, env));
      if (explicitNames.has(parsed.data.name)) report.shadowed.push({ ...entry, shadowedBy: parsed.data.name, sameAs: 'name' });
      else if (byConnection !== undefined) report.shadowed.push({ ...entry, shadowedBy: byConnection, sameAs: 'connection_string' });
      else report.providers.push(entry);
    }
  }
  return report;
}

// Two entries point at the same backend when their resolved connection strings match.
function comparable(connection: string, env: Environment): string {
  try {
    return resolveSecretReferences(connection, env);
  } catch {
    return connection;
  }
}
