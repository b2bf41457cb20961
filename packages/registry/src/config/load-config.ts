import type { ProviderPlugin } from '@memgate/core';
import type { ProviderPluginSet } from '../plugins/provider-plugin-set.js';
import type { Environment } from '../secrets/secret-references.js';
import { validateConfig, type ConfigValidationResult } from './validate-config.js';

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /** Built-in plugins and the loader for `module` entries. */
  readonly plugins: ProviderPluginSet;
  /** Where `${ENV_VAR}` references are resolved. Default `process.env`. */
  readonly env?: Environment;
}

/**
 * Imports the plugin packages named by `module` entries, then {@link validateConfig}s the whole file.
 * A module that is missing or presents no plugin is a problem at `providers[i].module`. Never throws.
 */
export async function loadConfig(json: unknown, options: LoadConfigOptions): Promise<ConfigValidationResult> {
  const providers = (json as { providers?: unknown })?.providers;
  const names = Array.isArray(providers) ? providers.map((entry) => (entry as { module?: unknown })?.module).filter((name): name is string => typeof name === 'string' && name !== '') : [];
  const modules = new Map<string, ProviderPlugin | Error>();
  for (const name of new Set(names)) {
    modules.set(name, await options.plugins.load(name).catch((error: Error) => error));
  }
  return validateConfig(json, { plugins: options.plugins.list(), modules, env: options.env });
}
