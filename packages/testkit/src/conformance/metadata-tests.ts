import { scopeFilter, type MemoryMetadata } from '@memgate/core';
import { expect } from 'vitest';
import type { MemoryProviderFactory, MemoryProviderTestFunction, MemoryProviderTestSuiteOptions } from './memory-provider-test-suite-options.js';
import { defineSuiteArea, freshScope, listAll } from './suite-tools.js';

const unicodeText = 'Loves 🦊 and 👩🏽‍💻; שלום עולם; مرحبا بالعالم; 日本語のテキスト; e\u0301 café; \u200d zero-width';

/** Text and metadata come back exactly as given, through get, list and search. */
export function metadataTests(test: MemoryProviderTestFunction, createProvider: MemoryProviderFactory, options?: MemoryProviderTestSuiteOptions): void {
  const it = defineSuiteArea(test, createProvider, options);

  it('metadata: unicode text and metadata (emoji, RTL, CJK, combining marks) round-trip through get and list', async ({ provider, eventually }) => {
    const scope = freshScope();
    const metadata: MemoryMetadata = { emoji: '🦊🔥👩🏽‍💻', hebrew: 'שלום', arabic: 'مرحبا', 'ключ с пробелом': '値', 'dotted.key': 'x' };
    const [added] = await provider.add([{ ...scope, memory: unicodeText, metadata }]);
    expect(added).toMatchObject({ memory: unicodeText, metadata });
    await eventually(async () => {
      expect(await provider.get(added!.id)).toMatchObject({ memory: unicodeText, metadata });
      expect((await listAll(provider, scopeFilter(scope)))[0]).toMatchObject({ memory: unicodeText, metadata });
    });
  });

  it('metadata: nested objects, arrays, numbers, booleans, null and empty containers round-trip', async ({ provider, eventually }) => {
    const metadata: MemoryMetadata = {
      nested: { deeper: { deepest: [1, { two: 2 }, [3]] } },
      numbers: [0, -1, 3.25, 1e-7, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER],
      yes: true,
      no: false,
      nothing: null,
      emptyObject: {},
      emptyArray: [],
      emptyString: '',
    };
    const [added] = await provider.add([{ ...freshScope(), memory: 'structured metadata', metadata }]);
    expect(added!.metadata).toEqual(metadata);
    await eventually(async () => expect((await provider.get(added!.id))?.metadata).toEqual(metadata));
  });

  it('metadata: a large metadata value (maxMetadataBytes, default 64 KB) round-trips', async ({ provider, eventually, options }) => {
    const chunk = 'ab€🦊'; // 1 + 1 + 3 + 4 bytes in UTF-8
    const value = chunk.repeat(Math.floor((options.maxMetadataBytes - 64) / 9));
    const metadata = { blob: value };
    const [added] = await provider.add([{ ...freshScope(), memory: 'large metadata', metadata }]);
    expect(added!.metadata.blob).toHaveLength(value.length);
    await eventually(async () => expect((await provider.get(added!.id))?.metadata.blob === value).toBe(true));
  });

  it('metadata: a long text (16 KB) round-trips verbatim', async ({ provider, eventually }) => {
    const text = Array.from({ length: 1024 }, (_, index) => `line ${index} ✓`).join('\n').padEnd(16_384, '.');
    const [added] = await provider.add([{ ...freshScope(), memory: text }]);
    await eventually(async () => expect((await provider.get(added!.id))?.memory === text).toBe(true));
  });

  it('metadata: search results carry the metadata unchanged', async ({ provider, eventually }) => {
    const scope = freshScope();
    const metadata: MemoryMetadata = { mood: '😀', score: 4.5, tags: ['a', 'ב'] };
    await provider.add([{ ...scope, memory: 'a happy birthday party', metadata }]);
    await eventually(async () => {
      const [result] = await provider.search({ query: 'birthday party', filter: scopeFilter(scope) });
      expect(result?.metadata).toEqual(metadata);
    });
  });

  it('metadata: update() round-trips new unicode metadata and text', async ({ provider, eventually }) => {
    const [added] = await provider.add([{ ...freshScope(), memory: 'before' }]);
    await eventually(async () => expect(await provider.get(added!.id)).not.toBeNull());
    const updated = await provider.update(added!.id, { memory: unicodeText, metadata: { rtl: 'עברית', list: [null, true, 1] } });
    expect(updated).toMatchObject({ memory: unicodeText, metadata: { rtl: 'עברית', list: [null, true, 1] } });
    await eventually(async () => expect(await provider.get(added!.id)).toEqual(updated));
  });
}
