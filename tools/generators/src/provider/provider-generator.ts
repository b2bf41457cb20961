import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatFiles, generateFiles, logger, type GeneratorCallback, type Tree } from '@nx/devkit';
import { normalizeProviderOptions } from './normalize-provider-options.js';
import type { ProviderGeneratorOptions } from './provider-generator-options.js';

const templates = join(dirname(fileURLToPath(import.meta.url)), 'files');

/**
 * `nx g @memgate/tools:provider <name>`: scaffolds `packages/<name>-provider`, a provider package that
 * builds, lints and passes `@memgate/testkit`'s conformance suite as generated (its provider is an
 * in-memory implementation for the author to replace). Returns a callback that prints the next steps.
 * @throws Error naming the option when the options are invalid or the folder already exists
 */
export async function providerGenerator(tree: Tree, options: ProviderGeneratorOptions): Promise<GeneratorCallback> {
  const normalized = normalizeProviderOptions(tree, options);
  generateFiles(tree, templates, normalized.directory, { ...normalized });
  if (!options.skipFormat) await formatFiles(tree);
  return () => {
    logger.info(`Created ${normalized.packageName} in ${normalized.directory}. Next:`);
    logger.info('  pnpm install   # links the new package into the workspace');
    logger.info(`  cd ${normalized.directory} && npx vitest run && npx eslint src   # the conformance suite passes as generated`);
    logger.info('Then replace the in-memory storage in src/*-provider.ts with your backend: see docs/add-new-provider.md.');
  };
}

export default providerGenerator;
