import type { ProviderPlugin } from '@memgate/core';
import { missingSecretReferences, resolveSecretReferencesDeep, type Environment } from '../secrets/secret-references.js';
import { problemsFromIssues, type ConfigProblem } from './config-problem.js';
import type { ProviderConfig } from './provider-config-schema.js';

/** What checking a provider entry needs besides the entry. */
export interface ProviderEntryContext {
  /** Where `${ENV_VAR}` references are resolved. */
  readonly env: Environment;
  /** The plugin for an entry, or the reason there is none. */
  readonly resolvePlugin: (entry: ProviderConfig) => ProviderPlugin | { problem: ConfigProblem };
}

/** The settings object the registry offers a plugin: the entry's settings plus `connectionString`. */
export function pluginSettingsInput(entry: ProviderConfig): Record<string, unknown> {
  return { ...entry.settings, connectionString: entry.connection_string };
}

/**
 * Validates resolved settings with the plugin's schema. A plugin whose strict schema has no
 * `connectionString` (e.g. an in-memory store) gets the settings without it: for such a type the
 * config's `connection_string` only identifies the instance.
 */
export function parsePluginSettings(plugin: ProviderPlugin, input: Record<string, unknown>) {
  const parsed = plugin.settingsSchema.safeParse(input);
  if (parsed.success) return parsed;
  const rejectsConnectionString = parsed.error.issues.some((issue) => issue.code === 'unrecognized_keys' && issue.path.length === 0 && issue.keys.includes('connectionString'));
  if (!rejectsConnectionString) return parsed;
  const { connectionString: _ignored, ...rest } = input;
  return plugin.settingsSchema.safeParse(rest);
}

/**
 * Checks what the schema alone cannot: the plugin exists and matches `provider_type`, every
 * `${ENV_VAR}` is set, the connection string is a URL, and the plugin accepts the settings.
 * @returns every problem found, with paths under `root` (e.g. `providers[1]`)
 */
export function checkProviderEntry(entry: ProviderConfig, root: string, context: ProviderEntryContext): ConfigProblem[] {
  const at = (field: string) => (root ? `${root}.${field}` : field);
  const problems: ConfigProblem[] = [];
  const plugin = context.resolvePlugin(entry);
  if ('problem' in plugin) problems.push(plugin.problem);

  const missing = [
    ...missingSecretReferences(entry.connection_string, context.env, at('connection_string')),
    ...missingSecretReferences(entry.settings ?? {}, context.env, at('settings')),
  ];
  for (const { path, name } of missing) problems.push({ path, message: `environment variable ${name} is not set` });
  if (missing.length > 0) return problems;

  const input = resolveSecretReferencesDeep(pluginSettingsInput(entry), context.env);
  if (!isUrl(input.connectionString as string)) {
    // The value is never echoed: it may hold a password.
    problems.push({ path: at('connection_string'), message: 'expected a URL such as postgres://host:5432/db or https://api.mem0.ai' });
  }
  if ('problem' in plugin) return problems;

  const parsed = parsePluginSettings(plugin, input);
  if (!parsed.success) {
    for (const problem of problemsFromIssues(parsed.error.issues)) {
      // The plugin sees `connectionString`; the author wrote `connection_string`.
      const path = problem.path.startsWith('connectionString') ? problem.path.replace('connectionString', 'connection_string') : `settings.${problem.path}`;
      problems.push({ path: at(path), message: problem.message });
    }
  }
  return problems;
}

function isUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return /^[a-z][a-z0-9+.-]*:$/.test(url.protocol) && (url.host !== '' || url.pathname !== '');
  } catch {
    return false;
  }
}
