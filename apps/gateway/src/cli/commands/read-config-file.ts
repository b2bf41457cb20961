import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadConfig, ProviderPluginSet, type ConfigProblem, type ConfigValidationResult } from '@memgate/registry';
import { problemsFromIssues } from '@memgate/registry';
import { serveConfigFileSchema } from '../serve-settings.js';

/** What {@link readConfigFile} found: the registry's part validated, plus the serve settings' problems. */
export interface ConfigFileReport {
  readonly path: string;
  readonly registry: ConfigValidationResult;
  /** Every problem of the file: serve settings and registry sections together, by path. */
  readonly problems: ConfigProblem[];
}

/**
 * Reads a config file and validates all of it: the serve settings (`port`, `host`, …) with the
 * serve schema, and `providers` / `routing` with the registry (plugins, `${ENV}` references, URLs).
 * @throws Error when the file cannot be read or is not JSON (the message names the file)
 */
export async function readConfigFile(file: string, cwd: string, env: Readonly<Record<string, string | undefined>>, plugins = new ProviderPluginSet()): Promise<ConfigFileReport> {
  const path = resolve(cwd, file);
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new Error(`${file}: cannot read it (${error.code ?? error.message})`);
  });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: not valid JSON (${(error as Error).message})`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new Error(`${file}: expected a JSON object`);
  // The serve settings and the registry sections share one file; each schema checks its own keys.
  const serveKeys = new Set(Object.keys(serveConfigFileSchema.shape));
  const serveSection = Object.fromEntries(Object.entries(json).filter(([key]) => serveKeys.has(key)));
  const registrySection = Object.fromEntries(Object.entries(json).filter(([key]) => !serveKeys.has(key)));
  const serve = serveConfigFileSchema.safeParse(serveSection);
  const registry = await loadConfig(registrySection, { plugins, env });
  const problems = [...(serve.success ? [] : problemsFromIssues(serve.error.issues)), ...registry.problems];
  return { path, registry, problems };
}
