import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jsonEqual, scopeFilter, type JsonValue } from '@memgate/core';
import { createMem0WireServer, type Mem0WireServer, type RecordedMem0Request } from '@memgate/testkit/mem0-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMem0MemoryProvider } from './create-mem0-memory-provider.js';
import type { Mem0MemoryProvider } from './mem0-memory-provider.js';

// mem0ai reads these at module load: no telemetry, no identity files in the home directory.
process.env.MEM0_TELEMETRY = 'false';
process.env.MEM0_DIR = mkdtempSync(join(tmpdir(), 'mem0-parity-'));

/** Where `expected` (the official client's) is not contained in `actual` (the provider's): the provider may add, never drop or change. */
function missingFrom(expected: unknown, actual: unknown, at = 'body'): string[] {
  if (expected === undefined) return [];
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return [`${at}: expected an object`];
    return Object.entries(expected).flatMap(([key, value]) => missingFrom(value, (actual as Record<string, unknown>)[key], `${at}.${key}`));
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return [`${at}: expected ${expected.length} items`];
    return expected.flatMap((item, index) => missingFrom(item, actual[index], `${at}[${index}]`));
  }
  return jsonEqual(expected as JsonValue, (actual ?? null) as JsonValue) ? [] : [`${at}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
}

/** Replaces a side's own memory id with `{id}` so that both sides' requests compare. */
const normalise = (request: RecordedMem0Request, mem0Id?: string): RecordedMem0Request =>
  mem0Id ? (JSON.parse(JSON.stringify(request).replaceAll(mem0Id, '{id}')) as RecordedMem0Request) : request;

describe('contract parity: the provider sends what the official mem0ai 3.3.1 MemoryClient sends', () => {
  let server: Mem0WireServer;
  let client: import('mem0ai').MemoryClient;
  let provider: Mem0MemoryProvider;
  let pingRequests: RecordedMem0Request[];

  const record = async (work: () => Promise<unknown>): Promise<RecordedMem0Request[]> => {
    const start = server.requests.length;
    await work();
    return server.requests.slice(start);
  };
  /** Adds a memory through the provider; returns its canonical and mem0 ids. */
  const seed = async (userId = 'parity-user', memory = 'I like foxes'): Promise<{ id: string; mem0Id: string }> => {
    const [added] = await provider.add([{ userId, memory, metadata: { src: 'seed' } }]);
    const stored = [...server.store.memories.values()].find((candidate) => candidate.metadata.memgate_id === added!.id)!;
    return { id: added!.id, mem0Id: stored.id };
  };
  /** Checks one operation: both sides sent `method path`, with the same auth scheme, and the client's query and body are contained in the provider's. */
  const expectParity = (method: string, path: string, sides: { client: RecordedMem0Request[]; clientId?: string; provider: RecordedMem0Request[]; providerId?: string }) => {
    const pick = (requests: RecordedMem0Request[], mem0Id: string | undefined, side: string) => {
      const found = requests.map((request) => normalise(request, mem0Id)).find((request) => request.method === method && request.path === path);
      expect(found, `${side} sent ${method} ${path}; it sent ${requests.map((request) => `${request.method} ${request.path}`).join(', ')}`).toBeDefined();
      return found!;
    };
    const fromClient = pick(sides.client, sides.clientId, 'the client');
    const fromProvider = pick(sides.provider, sides.providerId, 'the provider');
    const scheme = (request: RecordedMem0Request) => request.headers.authorization?.split(' ')[0];
    expect(scheme(fromProvider)).toBe(scheme(fromClient));
    expect(fromProvider.headers.authorization).toBe(fromClient.headers.authorization);
    if (fromClient.body !== undefined) expect(fromProvider.headers['content-type']).toContain('application/json');
    expect(missingFrom(fromClient.query, fromProvider.query, 'query')).toEqual([]);
    expect(missingFrom(fromClient.body, fromProvider.body)).toEqual([]);
  };

  beforeAll(async () => {
    server = await createMem0WireServer();
    const { MemoryClient } = await import('mem0ai');
    pingRequests = await record(async () => {
      client = new MemoryClient({ apiKey: server.apiKey, host: server.url });
      // The client pings in the background on construction.
      for (let wait = 0; wait < 50 && !server.requests.some((request) => request.path === '/v1/ping/'); wait += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    });
    provider = createMem0MemoryProvider({ mode: 'platform', baseUrl: server.url, apiKey: server.apiKey, pollIntervalMs: 5 });
  });
  afterAll(async () => {
    await provider?.close();
    await server?.close();
  });

  it('the comparison catches a field the provider drops or changes, and allows one it adds', () => {
    const client = { infer: false, metadata: { src: 'p' }, messages: [{ role: 'user', content: 'x' }] };
    expect(missingFrom(client, { ...client, metadata: { src: 'p', memgate_id: 'm' }, timestamp: 1 })).toEqual([]);
    expect(missingFrom(client, { ...client, infer: true })).toEqual(['body.infer: expected false, got true']);
    expect(missingFrom(client, { metadata: client.metadata, messages: client.messages })).toEqual(['body.infer: expected false, got undefined']);
  });

  it('ping: GET /v1/ping/', async () => {
    expectParity('GET', '/v1/ping/', { client: pingRequests, provider: await record(() => provider.probe()) });
  });

  it('add: POST /v3/memories/add/ with messages, entity ids, metadata and infer false', async () => {
    const fromClient = await record(() => client.add([{ role: 'user', content: 'I like foxes' }], { userId: 'parity-user', metadata: { src: 'p' }, infer: false }));
    const fromProvider = await record(() => provider.add([{ userId: 'parity-user', memory: 'I like foxes', metadata: { src: 'p' } }]));
    expectParity('POST', '/v3/memories/add/', { client: fromClient, provider: fromProvider });
  });

  it('search: POST /v3/memories/search/ with query, filters, top_k and threshold', async () => {
    const fromClient = await record(() => client.search('foxes', { filters: { user_id: 'parity-user' }, topK: 10, threshold: 0 }));
    const fromProvider = await record(() => provider.search({ query: 'foxes', filter: scopeFilter({ userId: 'parity-user' }), topK: 10, threshold: 0 }));
    expectParity('POST', '/v3/memories/search/', { client: fromClient, provider: fromProvider });
  });

  it('getAll: POST /v3/memories/?page=&page_size= with filters', async () => {
    const fromClient = await record(() => client.getAll({ filters: { user_id: 'parity-user' }, page: 1, pageSize: 200 }));
    const fromProvider = await record(() => provider.list(scopeFilter({ userId: 'parity-user' }), { page: 1, pageSize: 200 }));
    expectParity('POST', '/v3/memories/', { client: fromClient, provider: fromProvider });
  });

  it('get: GET /v1/memories/{id}/', async () => {
    const mine = await seed();
    const fromClient = await record(() => client.get(mine.mem0Id));
    const fromProvider = await record(() => provider.get(mine.id));
    expectParity('GET', '/v1/memories/{id}/', { client: fromClient, clientId: mine.mem0Id, provider: fromProvider, providerId: mine.mem0Id });
  });

  it('update: PUT /v1/memories/{id}/ with text and metadata', async () => {
    const theirs = await seed();
    const mine = await seed();
    const fromClient = await record(() => client.update(theirs.mem0Id, { text: 'I love foxes', metadata: { src: 'q' } }));
    const fromProvider = await record(() => provider.update(mine.id, { memory: 'I love foxes', metadata: { src: 'q' } }));
    expectParity('PUT', '/v1/memories/{id}/', { client: fromClient, clientId: theirs.mem0Id, provider: fromProvider, providerId: mine.mem0Id });
  });

  it('history: GET /v1/memories/{id}/history/', async () => {
    const mine = await seed();
    const fromClient = await record(() => client.history(mine.mem0Id));
    const fromProvider = await record(() => provider.history(mine.id));
    expectParity('GET', '/v1/memories/{id}/history/', { client: fromClient, clientId: mine.mem0Id, provider: fromProvider, providerId: mine.mem0Id });
  });

  it('delete: DELETE /v1/memories/{id}/', async () => {
    const theirs = await seed();
    const mine = await seed();
    const fromClient = await record(() => client.delete(theirs.mem0Id));
    const fromProvider = await record(() => provider.delete(mine.id));
    expectParity('DELETE', '/v1/memories/{id}/', { client: fromClient, clientId: theirs.mem0Id, provider: fromProvider, providerId: mine.mem0Id });
  });

  it('deleteAll: DELETE /v1/memories/?user_id=', async () => {
    await seed('parity-doomed');
    const fromClient = await record(() => client.deleteAll({ userId: 'parity-doomed' }));
    await seed('parity-doomed');
    const fromProvider = await record(() => provider.deleteAll({ userId: 'parity-doomed' }));
    expectParity('DELETE', '/v1/memories/', { client: fromClient, provider: fromProvider });
    expect(server.store.memories.size).toBeGreaterThan(0);
    expect([...server.store.memories.values()].some((memory) => memory.user_id === 'parity-doomed')).toBe(false);
  });

  it('users/entities: GET /v1/entities/', async () => {
    const fromClient = await record(() => client.users());
    const fromProvider = await record(() => provider.listEntities());
    expectParity('GET', '/v1/entities/', { client: fromClient, provider: fromProvider });
  });

  it('batchUpdate: PUT /v1/batch/ with memory_id and text', async () => {
    const theirs = await seed();
    const mine = await seed();
    const fromClient = await record(() => client.batchUpdate([{ memoryId: theirs.mem0Id, text: 'batch text' }]));
    const fromProvider = await record(() => provider.batchUpdate([{ id: mine.id, memory: 'batch text' }]));
    expectParity('PUT', '/v1/batch/', { client: fromClient, clientId: theirs.mem0Id, provider: fromProvider, providerId: mine.mem0Id });
  });

  it('batchDelete: DELETE /v1/batch/ with memory_id', async () => {
    const theirs = await seed();
    const mine = await seed();
    const fromClient = await record(() => client.batchDelete([theirs.mem0Id]));
    const fromProvider = await record(() => provider.batchDelete([mine.id]));
    expectParity('DELETE', '/v1/batch/', { client: fromClient, clientId: theirs.mem0Id, provider: fromProvider, providerId: mine.mem0Id });
    expect(server.store.memories.has(mine.mem0Id)).toBe(false);
  });
});
