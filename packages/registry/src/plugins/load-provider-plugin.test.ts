import { ValidationError } from '@memgate/core';
import { describe, expect, it } from 'vitest';
import { loadProviderPlugin } from './load-provider-plugin.js';
import { ProviderPluginSet } from './provider-plugin-set.js';

const fixture = new URL('../test-support/test-plugin-module.ts', import.meta.url).href;

describe('loadProviderPlugin', () => {
  it('loads a ProviderPlugin exported by a module', async () => {
    const plugin = await loadProviderPlugin(fixture);
    expect(plugin.type).toBe('acme');
    expect(plugin.kind).toBe('memgate-provider-plugin');
  });

  it('names a missing module in a ValidationError on the module field', async () => {
    const error = await loadProviderPlugin('@acme/memgate-not-installed').catch((caught: unknown) => caught);
    expect(ValidationError.isInstance(error)).toBe(true);
    expect((error as ValidationError).field).toBe('module');
    expect((error as Error).message).toBe("module: plugin module '@acme/memgate-not-installed' is not installed (cannot be found)");
  });

  it('names a module that presents no ProviderPlugin', async () => {
    const error = await loadProviderPlugin('zod').catch((caught: unknown) => caught);
    expect(ValidationError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/^module: 'zod' does not export a memgate ProviderPlugin/);
  });

  it('reports a module that throws while loading with its own message', async () => {
    const error = await loadProviderPlugin('broken', async () => {
      throw new Error('boom at import');
    }).catch((caught: unknown) => caught);
    expect((error as Error).message).toBe("module: plugin module 'broken' failed to load: boom at import");
  });
});

describe('ProviderPluginSet', () => {
  it('imports each module once', async () => {
    let imports = 0;
    const set = new ProviderPluginSet([], async (name) => {
      imports += 1;
      return import(name);
    });
    const [first, second] = await Promise.all([set.load(fixture), set.load(fixture)]);
    expect(first).toBe(second);
    expect(imports).toBe(1);
  });
});
