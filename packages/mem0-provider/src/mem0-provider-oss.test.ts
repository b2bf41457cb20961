import { AuthError, parseMemoryFilter, ProviderUnavailableError, scopeFilter, UnsupportedCapabilityError, type MemoryProviderV1 } from '@memgate/core';
import { createMem0WireServer, type Mem0WireServer } from '@memgate/testkit/mem0-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMem0MemoryProvider } from './create-mem0-memory-provider.js';
import type { Mem0MemoryProvider } from './mem0-memory-provider.js';

const rejection = (promise: Promise<unknown>): Promise<any> => promise.then(() => expect.fail('expected a rejection'), (error: unknown) => error);

describe('mem0 provider in oss mode', () => {
  let server: Mem0WireServer;
  let provider: Mem0MemoryProvider;
  beforeAll(async () => {
    server = await createMem0WireServer({ mode: 'oss' });
  });
  beforeEach(() => {
    server.reset();
    provider = createMem0MemoryProvider({ mode: 'oss', baseUrl: server.url, apiKey: server.apiKey, timeoutMs: 400 });
  });
  afterAll(() => server.close());

  it('sends X-API-Key on flat paths without trailing slashes', async () => {
    await provider.add([{ userId: 'u1', memory: 'flat' }]);
    await provider.probe();
    expect(server.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['POST /memories', 'GET /memories']);
    expect(server.requests.every((request) => request.headers['x-api-key'] === server.apiKey && request.headers.authorization === undefined)).toBe(true);
  });

  it("a 502 with the OSS server's provider_unavailable body is retryable; a wrong key is an AuthError", async () => {
    server.faults.failWith = 502;
    const unavailable = await rejection(provider.probe());
    expect(ProviderUnavailableError.isInstance(unavailable) && unavailable.isRetryable).toBe(true);
    expect(unavailable.message).toContain('The memory backend is unavailable');
    server.faults.reset();
    const wrong: MemoryProviderV1 = createMem0MemoryProvider({ mode: 'oss', baseUrl: server.url, apiKey: 'wrong' });
    expect(AuthError.isInstance(await rejection(wrong.probe()))).toBe(true);
    await wrong.close();
  });

  it('keeps the app scope in metadata, since the OSS server has none', async () => {
    const [record] = await provider.add([{ userId: 'u1', appId: 'app-a', memory: 'app scoped' }, { userId: 'u1', appId: 'app-b', memory: 'other app' }]);
    expect([...server.store.memories.values()].find((memory) => memory.metadata.memgate_id === record!.id)).toMatchObject({ user_id: 'u1', metadata: { memgate_app_id: 'app-a' } });
    expect((await provider.list(scopeFilter({ userId: 'u1', appId: 'app-a' }), { page: 1, pageSize: 10 })).items).toEqual([record]);
    expect(await provider.deleteAll({ appId: 'app-a' })).toEqual({ deleted: 1 });
    expect((await provider.list(scopeFilter({ userId: 'u1' }), { page: 1, pageSize: 10 })).items.map((item) => item.appId)).toEqual(['app-b']);
  });

  it('offers no history, and says so with UnsupportedCapabilityError', async () => {
    const [record] = await provider.add([{ userId: 'u1', memory: 'no history here' }]);
    expect(provider.capabilities.history).toBe(false);
    expect(UnsupportedCapabilityError.isInstance(await rejection(provider.history(record!.id)))).toBe(true);
  });

  it('batch updates and deletes by canonical id, one call per memory, and lists entities', async () => {
    const [first, second] = await provider.add([{ userId: 'u1', memory: 'one' }, { agentId: 'a1', memory: 'two' }]);
    expect(await provider.batchUpdate([{ id: first!.id, memory: 'uno' }, { id: second!.id, metadata: { k: 1 } }])).toEqual({ updated: 2 });
    expect((await provider.get(first!.id))?.memory).toBe('uno');
    expect((await provider.get(second!.id))?.metadata).toEqual({ k: 1 });
    expect((await provider.listEntities()).map((entity) => `${entity.type}:${entity.id}`).sort()).toEqual(['agent:a1', 'user:u1']);
    expect(await provider.batchDelete([first!.id, second!.id])).toEqual({ deleted: 2 });
    expect(server.store.memories.size).toBe(0);
  });

  it('searches across scopes named only inside an OR, filtering here', async () => {
    const [mine] = await provider.add([{ userId: 'or-1', memory: 'shared hobby: chess' }]);
    const [theirs] = await provider.add([{ userId: 'or-2', memory: 'shared hobby: chess too' }]);
    await provider.add([{ userId: 'or-3', memory: 'shared hobby: chess as well' }]);
    const results = await provider.search({ query: 'chess', filter: parseMemoryFilter({ OR: [{ user_id: 'or-1' }, { user_id: 'or-2' }] }) });
    expect(results.map((result) => result.id).sort()).toEqual([mine!.id, theirs!.id].sort());
  });

  it('filters listings and searches here, since the OSS server cannot', async () => {
    await provider.add([{ userId: 'u1', memory: 'red fox', metadata: { colour: 'red' } }, { userId: 'u1', memory: 'blue fox', metadata: { colour: 'blue' } }]);
    const filter = parseMemoryFilter({ user_id: 'u1', metadata: { colour: { ne: 'red' } } });
    expect((await provider.list(filter, { page: 1, pageSize: 10 })).items.map((item) => item.memory)).toEqual(['blue fox']);
    expect((await provider.search({ query: 'fox', filter })).map((item) => item.memory)).toEqual(['blue fox']);
  });
});
