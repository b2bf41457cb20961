import type { ProviderPlugin } from '@memgate/core';
import { listSecretReferences, resolveSecretReferencesDeep, type Environment } from '../secrets/secret-references.js';
import { problemsFromIssues, type ConfigProblem } from './config-problem.js';
import type { ProviderConfig } from './provider-config-schema.js';

/** What checking a provider entry needs besides the entry. */
export interface ProviderEntryContext {
  /** Where `${ENV_VAR}` references are resolved. */
  readonly env: Environment;
  /** The plugin for an entry, or the reason there is none. */
  readonly resolvePlugin: (entry: ProviderConfig) => ProviderPlugin | { problem: ConfigProblem };
  /**
   * Judges one `${ENV_VAR}` reference at `path` (e.g. `settings.apiKey`): the problem's message, or
   * `undefined` when it may be resolved. Default: a problem only when `env` does not set it.
   */
  readonly checkReference?: (path: string, name: string) => string | undefined;
}

/** Settings keys under which a plugin may take the entry's `connection_string`, in the order tried. */
export const connectionSettingKeys = ['connectionString', 'baseUrl', 'url'] as const;

/** `<type>://default`: the plugin's own default endpoint; the registry passes it to no setting. */
export function isDefaultConnection(entry: Pick<ProviderConfig, 'provider_type' | 'connection_string'>): boolean {
  return entry.connection_string === `${entry.provider_type}://default`;
}

/** A plugin's verdict on settings, and the key that carried the connection string (if any). */
export interface PluginSettingsResult {
  readonly parsed: ReturnType<ProviderPlugin['settingsSchema']['safeParse']>;
  readonly connectionKey: string | undefined;
}

/**
 * Validates resolved settings with the plugin's schema, handing it the connection string under the
 * first of {@link connectionSettingKeys} that its schema does not reject as unknown (`postgres` takes
 * `connectionString`, `mem0` takes `baseUrl`); a plugin that takes none (an in-memory store) gets
 * the settings alone, and the connection string only identifies the instance.
 */
export function parsePluginSettings(plugin: ProviderPlugin, settings: Record<string, unknown>, entry: Pick<ProviderConfig, 'provider_type' | 'connection_string'>, connection: string): PluginSettingsResult {
  if (!isDefaultConnection(entry)) {
    for (const key of connectionSettingKeys) {
      if (key in settings) continue;
      const parsed = plugin.settingsSchema.safeParse({ ...settings, [key]: connection });
      const rejectsKey = !parsed.success && parsed.error.issues.some((issue) => issue.code === 'unrecognized_keys' && issue.path.length === 0 && issue.keys.includes(key));
      if (!rejectsKey) return { parsed, connectionKey: key };
    }
  }
  return { parsed: plugin.settingsSchema.safeParse(settings), connectionKey: undefined };
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

  const checkReference = context.checkReference ?? ((_path: string, name: string) => (context.env[name] === undefined ? `environment variable ${name} is not set` : undefined));
  const references = [...listSecretReferences(entry.connection_string, at('connection_string')), ...listSecretReferences(entry.settings ?? {}, at('settings'))];
  const refusedReferences = references.flatMap(({ path, name }) => {
    const message = checkReference(path, name);
    return message === undefined ? [] : [{ path, message }];
  });
  problems.push(...refusedReferences);
  if (refusedReferences.length > 0) return problems;

  const settings = resolveSecretReferencesDeep(entry.settings ?? {}, context.env);
  const connection = resolveSecretReferencesDeep(entry.connection_string, context.env);
  if (!isUrl(connection)) {
    // The value is never echoed: it may hold a password.
    problems.push({ path: at('connection_string'), message: 'expected a URL such as postgres://host:5432/db or https://api.mem0.ai' });
  }
  if ('problem' in plugin) return problems;

  const { parsed, connectionKey } = parsePluginSettings(plugin, settings, entry, connection);
  if (!parsed.success) {
    for (const problem of problemsFromIssues(parsed.error.issues)) {
      // The plugin saw the connection string under its own key; the author wrote `connection_string`.
      const onConnection = connectionKey !== undefined && (problem.path === connectionKey || problem.path.startsWith(`${connectionKey}.`));
      const path = onConnection ? problem.path.replace(connectionKey, 'connection_string') : `settings.${problem.path}`;
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
