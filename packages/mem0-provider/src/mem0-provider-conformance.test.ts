import { memoryProviderTestSuite } from '@memgate/testkit';
import { createMem0WireServer, type Mem0WireServer } from '@memgate/testkit/mem0-server';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createMem0MemoryProvider } from './create-mem0-memory-provider.js';

// The conformance suite first, in both modes, against the mem0 wire-format server on a real socket.
for (const mode of ['platform', 'oss'] as const) {
  describe(`mem0 provider (${mode}) passes the conformance suite`, () => {
    let server: Mem0WireServer;
    beforeAll(async () => {
      server = await createMem0WireServer({ mode });
    });
    afterAll(() => server.close());
    memoryProviderTestSuite(it, () => createMem0MemoryProvider({ mode, baseUrl: server.url, apiKey: server.apiKey, pollIntervalMs: 5 }));
  });
}
