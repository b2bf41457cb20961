import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MemoryProviderV1 } from '@memgate/core';
import type { Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { memoryProviderTestSuite } from '@memgate/testkit';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { providerGenerator } from './provider-generator.js';

// The generator's promise, checked automatically: what it writes type-checks under the
// workspace's compiler options and passes the conformance suite as generated. The package is
// written to a temporary folder whose node_modules points at this package's (which has core,
// testkit, zod and @types/node), so nothing in the repository changes.
const toolsRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const workspaceRoot = resolve(toolsRoot, '../..');
const packageDirectory = 'packages/sample-store-provider';

function writeTree(tree: Tree, root: string, directory: string): string[] {
  return tree.children(directory).flatMap((child) => {
    const path = `${directory}/${child}`;
    if (!tree.isFile(path)) return writeTree(tree, root, path);
    mkdirSync(join(root, directory), { recursive: true });
    writeFileSync(join(root, path), tree.read(path)!);
    return [join(root, path)];
  });
}

const tree = createTreeWithEmptyWorkspace();
await providerGenerator(tree, { name: 'sample-store', directory: packageDirectory, skipFormat: true });
const root = mkdtempSync(join(tmpdir(), 'memgate-generated-'));
writeTree(tree, root, packageDirectory);
writeFileSync(join(root, 'tsconfig.base.json'), readFileSync(join(workspaceRoot, 'tsconfig.base.json')));
symlinkSync(join(toolsRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
afterAll(() => rmSync(root, { recursive: true, force: true }));

const generated = (await import(join(root, packageDirectory, 'src/sample-store-provider.ts'))) as {
  createSampleStoreMemoryProvider: (settings: { name: string }) => MemoryProviderV1;
};

memoryProviderTestSuite(it, () => generated.createSampleStoreMemoryProvider({ name: 'generated' }));

describe('generated provider package', () => {
  it('type-checks with its own tsconfig.json under the workspace compiler options', () => {
    const configPath = join(root, packageDirectory, 'tsconfig.json');
    const { config } = ts.readConfigFile(configPath, ts.sys.readFile);
    const parsed = ts.parseJsonConfigFileContent(config, ts.sys, dirname(configPath));
    expect(parsed.fileNames.length).toBeGreaterThan(5);
    const program = ts.createProgram(parsed.fileNames, { ...parsed.options, noEmit: true });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    expect(diagnostics).toEqual([]);
  }, 60_000);
});
