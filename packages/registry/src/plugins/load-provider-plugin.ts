import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { isProviderPlugin, ValidationError, type ProviderPlugin } from '@memgate/core';

/** Imports a module by specifier; injectable so tests and bundlers can resolve differently. */
export type ModuleImporter = (moduleName: string) => Promise<unknown>;

/**
 * Imports from this package first, then from the working directory: under pnpm a plugin installed
 * in the app is not visible from `@memgate/registry`'s own folder.
 */
const importModule: ModuleImporter = async (moduleName) => {
  try {
    return await import(moduleName);
  } catch (error) {
    if (!isNotFound(error) || moduleName.startsWith('.') || moduleName.includes(':')) throw error;
    const resolved = createRequire(pathToFileURL(`${process.cwd()}/`).href).resolve(moduleName);
    return import(pathToFileURL(resolved).href);
  }
};

function isNotFound(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}

/**
 * Loads a third-party provider plugin by package name (`"module": "@acme/memgate-redis"`).
 * The module must export a core `ProviderPlugin` as its default export, as `plugin`, or as any
 * named export (the first one found wins).
 * @throws ValidationError (field `module`) when the module cannot be imported or presents no plugin
 */
export async function loadProviderPlugin(moduleName: string, importer: ModuleImporter = importModule): Promise<ProviderPlugin> {
  let loaded: unknown;
  try {
    loaded = await importer(moduleName);
  } catch (error) {
    const reason = isNotFound(error) ? 'is not installed (cannot be found)' : `failed to load: ${(error as Error).message}`;
    throw new ValidationError({ field: 'module', message: `module: plugin module '${moduleName}' ${reason}`, cause: error });
  }
  const exports = (loaded ?? {}) as Record<string, unknown>;
  const candidates = [exports.default, exports.plugin, ...Object.values(exports)];
  const plugin = candidates.find(isProviderPlugin);
  if (!plugin) {
    throw new ValidationError({
      field: 'module',
      message: `module: '${moduleName}' does not export a memgate ProviderPlugin (expected a default or named export made with defineProviderPlugin)`,
    });
  }
  return plugin;
}
