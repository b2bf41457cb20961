import { z } from 'zod';
import type { ProviderPlugin } from '@memgate/core';
import type { Environment } from '../secrets/secret-references.js';
import { checkProviderEntry } from './check-provider-entry.js';
import { problemsFromIssues, type ConfigProblem } from './config-problem.js';
import { memgateConfigSchema, type MemgateConfig } from './memgate-config-schema.js';
import { providerConfigSchema, type ProviderConfig } from './provider-config-schema.js';

const outerSchema = memgateConfigSchema.extend({ providers: z.array(z.unknown(), { error: 'expected an array of providers' }).default([]) });

/** Options of {@link validateConfig}. */
export interface ValidateConfigOptions {
  /** Built-in plugins, by their `type`. */
  readonly plugins?: readonly ProviderPlugin[];
  /** Plugins already loaded for `module` entries, by package name, or the reason a module failed to load. */
  readonly modules?: ReadonlyMap<string, ProviderPlugin | Error>;
  /** Where `${ENV_VAR}` references are resolved. Default `process.env`. */
  readonly env?: Environment;
}

/** The outcome of {@link validateConfig}: the config, or every problem found. */
export type ConfigValidationResult = { ok: true; config: MemgateConfig; problems: [] } | { ok: false; config?: undefined; problems: ConfigProblem[] };

/**
 * Validates a parsed config file (SPEC-020's JSON plus `routing`) and reports **every** problem by
 * JSON path: schema errors, unknown fields, duplicate names, unknown provider types, bad URLs,
 * unset `${ENV_VAR}` references, settings the plugin rejects, an unreachable `write_quorum`.
 * Never throws. Entries with `module` need their plugin in `modules` (see `loadConfig`).
 */
export function validateConfig(json: unknown, options: ValidateConfigOptions = {}): ConfigValidationResult {
  const env = options.env ?? process.env;
  const plugins = new Map((options.plugins ?? []).map((plugin) => [plugin.type, plugin]));
  // The outer shape and each entry are parsed apart, so one bad entry does not hide the others' problems.
  const outer = outerSchema.safeParse(json);
  const problems: ConfigProblem[] = outer.success ? [] : problemsFromIssues(outer.error.issues);
  const providers = outer.success ? outer.data.providers : arrayAt(json, 'providers');
  problems.push(...duplicateNames(providers));
  const entries: ProviderConfig[] = [];
  providers.forEach((input, index) => {
    const root = `providers[${index}]`;
    const parsed = providerConfigSchema.safeParse(input);
    if (!parsed.success) {
      problems.push(...problemsFromIssues(parsed.error.issues, root));
      return;
    }
    entries.push(parsed.data);
    problems.push(...checkProviderEntry(parsed.data, root, { env, resolvePlugin: (candidate) => resolvePlugin(candidate, root, plugins, options.modules) }));
  });
  if (!outer.success) return { ok: false, problems: sortProblems(problems) };
  const config: MemgateConfig = { ...outer.data, providers: entries };
  const enabled = entries.filter((entry) => entry.enabled).length;
  if (config.routing && entries.length > 0 && entries.length === providers.length && config.routing.write_quorum > enabled) {
    problems.push({ path: 'routing.write_quorum', message: `expected at most the number of enabled providers (${enabled})` });
  }
  return problems.length === 0 ? { ok: true, config, problems: [] } : { ok: false, problems: sortProblems(problems) };
}

function resolvePlugin(entry: ProviderConfig, root: string, plugins: ReadonlyMap<string, ProviderPlugin>, modules?: ReadonlyMap<string, ProviderPlugin | Error>) {
  if (entry.module !== undefined) {
    const loaded = modules?.get(entry.module);
    if (loaded === undefined) return { problem: { path: `${root}.module`, message: `plugin module '${entry.module}' was not loaded` } };
    if (loaded instanceof Error) return { problem: { path: `${root}.module`, message: loaded.message.replace(/^module: /, '') } };
    if (loaded.type !== entry.provider_type) {
      return { problem: { path: `${root}.provider_type`, message: `module '${entry.module}' provides type '${loaded.type}', not '${entry.provider_type}'` } };
    }
    return loaded;
  }
  const plugin = plugins.get(entry.provider_type);
  if (plugin) return plugin;
  const known = [...plugins.keys()].join(', ') || 'none';
  return { problem: { path: `${root}.provider_type`, message: `unknown provider type '${entry.provider_type}' (known: ${known}; set "module" to load a plugin package)` } };
}

function arrayAt(json: unknown, key: string): unknown[] {
  const value = json !== null && typeof json === 'object' ? (json as Record<string, unknown>)[key] : undefined;
  return Array.isArray(value) ? value : [];
}

function duplicateNames(entries: readonly unknown[]): ConfigProblem[] {
  const seen = new Map<string, number>();
  const problems: ConfigProblem[] = [];
  entries.forEach((entry, index) => {
    const name = (entry as { name?: unknown })?.name;
    if (typeof name !== 'string') return;
    const first = seen.get(name);
    if (first === undefined) seen.set(name, index);
    else problems.push({ path: `providers[${index}].name`, message: `duplicate provider name '${name}' (also providers[${first}])` });
  });
  return problems;
}

function sortProblems(problems: ConfigProblem[]): ConfigProblem[] {
  return problems.sort((left, right) => left.path.localeCompare(right.path, 'en', { numeric: true }));
}
