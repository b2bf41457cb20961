import { names, offsetFromRoot, readJson, type Tree } from '@nx/devkit';
import type { ProviderGeneratorOptions } from './provider-generator-options.js';

/** Everything the templates under `files/` substitute, derived from the generator's options. */
export interface NormalizedProviderOptions {
  /** kebab-case, e.g. `azure-cosmos`: file names and the provider type. */
  readonly fileName: string;
  /** PascalCase, e.g. `AzureCosmos`: `createAzureCosmosMemoryProvider`. */
  readonly className: string;
  /** camelCase, e.g. `azureCosmos`: `azureCosmosProviderPlugin`. */
  readonly propertyName: string;
  /** CONSTANT_CASE, e.g. `AZURE_COSMOS`: the `AZURE_COSMOS_URL` discovery variable. */
  readonly constantName: string;
  /** The `type` the provider reports and config's `provider_type`. */
  readonly providerType: string;
  /** The npm package name, e.g. `@memgate/azure-cosmos`. */
  readonly packageName: string;
  /** Where the package goes, relative to the workspace root. */
  readonly directory: string;
  /** `../../` for `packages/x`: the way back to the root tsconfig. */
  readonly offsetFromRoot: string;
  /** Versions the generated package.json pins, read from the workspace so they never drift. */
  readonly zodVersion: string;
  readonly vitestVersion: string;
}

const kebabCase = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const npmScope = /^@[a-z0-9][a-z0-9._-]*$/;

/**
 * Checks the options and derives the template's names.
 * @throws Error naming the option when a name is not kebab-case, a scope is malformed, or the folder exists
 */
export function normalizeProviderOptions(tree: Tree, options: ProviderGeneratorOptions): NormalizedProviderOptions {
  const name = options.name?.trim() ?? '';
  if (!kebabCase.test(name)) throw new Error(`name: expected a kebab-case provider type such as "redis" or "azure-cosmos", got "${name}"`);
  if (name.endsWith('-provider')) throw new Error(`name: give the provider type ("${name.slice(0, -'-provider'.length)}"); the folder gets the "-provider" suffix by itself`);
  const scope = options.scope ?? '@memgate';
  if (!npmScope.test(scope)) throw new Error(`scope: expected an npm scope such as "@acme", got "${scope}"`);
  const directory = (options.directory ?? `packages/${name}-provider`).replace(/\/+$/, '');
  if (tree.exists(directory) && tree.children(directory).length > 0) throw new Error(`directory: ${directory} already exists and is not empty`);
  const { fileName, className, propertyName, constantName } = names(name);
  return {
    fileName,
    className,
    propertyName,
    constantName,
    providerType: name,
    packageName: options.packageName ?? `${scope}/${name}`,
    directory,
    offsetFromRoot: offsetFromRoot(directory),
    zodVersion: workspaceVersion(tree, 'packages/core/package.json', 'zod', '4.6.7'),
    vitestVersion: workspaceVersion(tree, 'package.json', 'vitest', '4.1.12'),
  };
}

/** The version a workspace package.json pins for a dependency, or the fallback outside this repo. */
function workspaceVersion(tree: Tree, packageJsonPath: string, dependency: string, fallback: string): string {
  if (!tree.exists(packageJsonPath)) return fallback;
  const packageJson = readJson<{ dependencies?: Record<string, string>; devDependencies?: Record<string, string> }>(tree, packageJsonPath);
  return packageJson.dependencies?.[dependency] ?? packageJson.devDependencies?.[dependency] ?? fallback;
}
