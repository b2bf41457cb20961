import { readJson, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import ts from 'typescript';
import { beforeEach, describe, expect, it } from 'vitest';
import { providerGenerator } from './provider-generator.js';

const expectedFiles = [
  'README.md',
  'package.json',
  'src/azure-cosmos-error.ts',
  'src/azure-cosmos-provider-plugin.ts',
  'src/azure-cosmos-provider-settings.ts',
  'src/azure-cosmos-provider.test.ts',
  'src/azure-cosmos-provider.ts',
  'src/azure-cosmos-search-score.ts',
  'src/index.ts',
  'tsconfig.build.json',
  'tsconfig.json',
  'vitest.config.ts',
];

function filesUnder(tree: Tree, directory: string): string[] {
  return tree.children(directory).flatMap((child) => {
    const path = `${directory}/${child}`;
    return tree.isFile(path) ? [path.slice(directory.length + 1)] : filesUnder(tree, path).map((nested) => `${child}/${nested}`);
  });
}

async function generationError(tree: Tree, options: Parameters<typeof providerGenerator>[1]): Promise<string> {
  try {
    await providerGenerator(tree, options);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the generator to refuse');
}

describe('provider generator', () => {
  let tree: Tree;
  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
    tree.write('packages/core/package.json', JSON.stringify({ name: '@memgate/core', dependencies: { zod: '4.9.9' } }));
  });

  it('scaffolds packages/<name>-provider with every file of the template and no template syntax left', async () => {
    await providerGenerator(tree, { name: 'azure-cosmos', skipFormat: true });
    expect(filesUnder(tree, 'packages/azure-cosmos-provider').sort()).toEqual(expectedFiles);
    for (const file of expectedFiles) {
      const text = tree.read(`packages/azure-cosmos-provider/${file}`, 'utf-8')!;
      expect(text, file).not.toMatch(/<%|%>|__fileName__/);
    }
  });

  it('writes a package.json shaped like the other providers, tagged type:provider, with core as a peer', async () => {
    await providerGenerator(tree, { name: 'azure-cosmos', skipFormat: true });
    const packageJson = readJson(tree, 'packages/azure-cosmos-provider/package.json');
    expect(packageJson).toMatchObject({
      name: '@memgate/azure-cosmos',
      type: 'module',
      sideEffects: false,
      exports: { '.': './src/index.ts', './package.json': './package.json' },
      publishConfig: { exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } } },
      scripts: { build: 'tsc -p tsconfig.build.json', typecheck: 'tsc --noEmit -p tsconfig.json', lint: 'eslint src', test: 'vitest run' },
      nx: { tags: ['type:provider'] },
      dependencies: { zod: '4.9.9' },
      devDependencies: { '@memgate/core': 'workspace:*', '@memgate/testkit': 'workspace:*' },
      peerDependencies: { '@memgate/core': 'workspace:^' },
    });
    expect(readJson(tree, 'packages/azure-cosmos-provider/tsconfig.json').extends).toBe('../../tsconfig.base.json');
  });

  it('names the factory, plugin, settings and discovery variable after the provider', async () => {
    await providerGenerator(tree, { name: 'azure-cosmos', skipFormat: true });
    const read = (file: string) => tree.read(`packages/azure-cosmos-provider/src/${file}`, 'utf-8')!;
    expect(read('azure-cosmos-provider.ts')).toContain('export function createAzureCosmosMemoryProvider(settings: AzureCosmosProviderSettings = {}): MemoryProviderV1');
    expect(read('azure-cosmos-provider.ts')).toContain("type: 'azure-cosmos',");
    expect(read('azure-cosmos-provider-settings.ts')).toContain('export const azureCosmosProviderSettingsSchema = z.strictObject({');
    expect(read('azure-cosmos-provider-plugin.ts')).toContain("export const AZURE_COSMOS_URL_VARIABLE = 'AZURE_COSMOS_URL';");
    expect(read('azure-cosmos-provider-plugin.ts')).toContain('defineProviderPlugin<AzureCosmosProviderSettings>({');
    expect(read('azure-cosmos-error.ts')).toContain('export function mapAzureCosmosError(error: unknown, providerId: string): MemoryError');
  });

  it('writes a test file whose first statement runs the conformance suite', async () => {
    await providerGenerator(tree, { name: 'azure-cosmos', skipFormat: true });
    const test = tree.read('packages/azure-cosmos-provider/src/azure-cosmos-provider.test.ts', 'utf-8')!;
    const firstStatement = test.split('\n').find((line) => line !== '' && !line.startsWith('import') && !line.startsWith('//'));
    expect(firstStatement).toBe("memoryProviderTestSuite(it, () => createAzureCosmosMemoryProvider({ name: 'azure-cosmos-test' }));");
  });

  it('generates TypeScript without syntax errors', async () => {
    await providerGenerator(tree, { name: 'azure-cosmos', skipFormat: true });
    for (const file of expectedFiles.filter((name) => name.endsWith('.ts'))) {
      const source = tree.read(`packages/azure-cosmos-provider/${file}`, 'utf-8')!;
      const output = ts.transpileModule(source, { fileName: file, reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.NodeNext, target: ts.ScriptTarget.ES2022 } });
      expect(output.diagnostics?.map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')), file).toEqual([]);
    }
  });

  it('uses a third-party scope, a full package name and a custom folder when asked', async () => {
    await providerGenerator(tree, { name: 'redis', scope: '@acme', skipFormat: true });
    expect(readJson(tree, 'packages/redis-provider/package.json').name).toBe('@acme/redis');
    await providerGenerator(tree, { name: 'redis', packageName: '@acme/memgate-redis', directory: 'plugins/memgate-redis', skipFormat: true });
    expect(readJson(tree, 'plugins/memgate-redis/package.json').name).toBe('@acme/memgate-redis');
    expect(readJson(tree, 'plugins/memgate-redis/tsconfig.json').extends).toBe('../../tsconfig.base.json');
    expect(tree.read('plugins/memgate-redis/README.md', 'utf-8')).toContain('"module": "@acme/memgate-redis"');
  });

  it.each([
    [{ name: 'Redis' }, 'name: expected a kebab-case provider type'],
    [{ name: 'my_store' }, 'name: expected a kebab-case provider type'],
    [{ name: 'redis-provider' }, 'name: give the provider type ("redis")'],
    [{ name: 'redis', scope: 'acme' }, 'scope: expected an npm scope'],
  ])('refuses %j with a message naming the option', async (options, message) => {
    expect(await generationError(tree, options)).toContain(message);
    expect(tree.exists('packages/redis-provider')).toBe(false);
  });

  it('refuses to overwrite an existing package', async () => {
    tree.write('packages/redis-provider/src/index.ts', 'export {};\n');
    expect(await generationError(tree, { name: 'redis' })).toContain('directory: packages/redis-provider already exists');
    expect(tree.read('packages/redis-provider/src/index.ts', 'utf-8')).toBe('export {};\n');
  });
});
