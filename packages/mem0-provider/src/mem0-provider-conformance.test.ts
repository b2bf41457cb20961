import { memoryProviderTestSuite } from '@memgate/testkit';
import { createMem0WireServer, type Mem0WireServer, type Mem0WireServerOptions } from '@memgate/testkit/mem0-server';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createMem0MemoryProvider } from './create-mem0-memory-provider.js';

// The conformance suite first, against the mem0 wire-format server on a real socket: both modes, and the
// Platform once more with every add and delete queued as a PENDING event, so writes go through polling.
const variants: [string, Mem0WireServerOptions, ((server: Mem0WireServer) => void)?][] = [
  ['platform', { mode: 'platform' }],
  ['oss', { mode: 'oss' }],
  ['platform, async events', { mode: 'platform' }, (server) => Object.assign(server.faults, { asyncAdds: true, eventDelayMs: 15 })],
];

for (const [label, options, arrange] of variants) {
  describe(`mem0 provider (${label}) passes the conformance suite`, () => {
    let server: Mem0WireServer;
    beforeAll(async () => {
      server = await createMem0WireServer(options);
      arrange?.(server);
    });
    afterAll(() => server.close());
    memoryProviderTestSuite(it, () => createMem0MemoryProvider({ mode: options.mode!, baseUrl: server.url, apiKey: server.apiKey, pollIntervalMs: 5 }));
  });
}
