import { ValidationError, type ProviderPlugin } from '@memgate/core';
import { checkManagedEgress } from '../management/check-managed-egress.js';
import { isPluginModuleAllowed, refusedReferenceMessage, writesField, type ManagedWrite } from '../management/managed-write.js';
import type { ProviderPluginSet } from '../plugins/provider-plugin-set.js';
import type { Environment } from '../secrets/secret-references.js';
import { checkProviderEntry } from './check-provider-entry.js';
import { formatConfigProblems, problemsFromIssues, type ConfigProblem } from './config-problem.js';
import { providerConfigSchema, type ProviderConfig } from './provider-config-schema.js';

/** The problems behind a ValidationError thrown by {@link parseProviderEntry}, for API responses. */
export function configProblemsOf(error: unknown): ConfigProblem[] | undefined {
  if (!ValidationError.isInstance(error)) return undefined;
  const problems = (error.cause as { problems?: ConfigProblem[] } | undefined)?.problems;
  return Array.isArray(problems) ? problems : undefined;
}

/** Throws a ValidationError carrying every problem (read them back with {@link configProblemsOf}). */
export function throwConfigProblems(problems: readonly ConfigProblem[]): never {
  throw new ValidationError({ field: problems[0]!.path, message: formatConfigProblems(problems), cause: { problems } });
}

/**
 * Validates one provider entry (as sent to `POST /providers/register`), loading its `module` plugin
 * if it names one. With `managed` (an entry the management API wrote), the operator's rules apply
 * to the fields the API wrote, before anything is imported or resolved: `module` only from
 * `management.plugin_modules`, `${ENV}` only names on `management.env_allow_list`, and every
 * outbound address through the egress policy.
 * @returns the entry with defaults, and its plugin
 * @throws ValidationError listing every problem, paths relative to the entry (`timeout`, `settings.apiKey`)
 */
export async function parseProviderEntry(input: unknown, plugins: ProviderPluginSet, env: Environment, managed?: ManagedWrite): Promise<{ config: ProviderConfig; plugin: ProviderPlugin }> {
  const parsed = providerConfigSchema.safeParse(input);
  if (!parsed.success) throwConfigProblems(problemsFromIssues(parsed.error.issues));
  const config = parsed.data;
  let plugin: ProviderPlugin | { problem: ConfigProblem };
  if (config.module !== undefined && managed && writesField(managed, 'module') && !isPluginModuleAllowed(config.module, managed.management)) {
    // Never imported: a module named through the API could be a data: URL or a path to any file.
    plugin = { problem: { path: 'module', message: 'plugin modules load only from the config file, or from a package listed in management.plugin_modules' } };
  } else if (config.module !== undefined) {
    plugin = await plugins.load(config.module).catch((error: Error) => ({ problem: { path: 'module', message: error.message.replace(/^module: /, '') } }));
    if (!('problem' in plugin) && plugin.type !== config.provider_type) {
      plugin = { problem: { path: 'provider_type', message: `module '${config.module}' provides type '${plugin.type}', not '${config.provider_type}'` } };
    }
  } else {
    const known = plugins.get(config.provider_type);
    plugin = known ?? {
      problem: { path: 'provider_type', message: `unknown provider type '${config.provider_type}' (known: ${plugins.types().join(', ') || 'none'}; set "module" to load a plugin package)` },
    };
  }
  const resolved = plugin;
  const allowedNames = new Set(managed?.management.env_allow_list ?? []);
  const checkReference = managed
    ? (path: string, name: string) => {
        if (!writesField(managed, path)) return env[name] === undefined ? `environment variable ${name} is not set` : undefined;
        return allowedNames.has(name) && env[name] !== undefined ? undefined : refusedReferenceMessage(name);
      }
    : undefined;
  const problems = checkProviderEntry(config, '', { env, resolvePlugin: () => resolved, checkReference });
  if (problems.length > 0 || 'problem' in resolved) throwConfigProblems(problems);
  if (managed) {
    const refused = await checkManagedEgress(config, resolved, env, managed);
    if (refused.length > 0) throwConfigProblems(refused);
  }
  return { config, plugin: resolved };
}
