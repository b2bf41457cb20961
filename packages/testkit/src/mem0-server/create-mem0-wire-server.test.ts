import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createMem0WireServer, type Mem0WireServer } from './create-mem0-wire-server.js';

const call = async (server: Mem0WireServer, method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
  const auth: Record<string, string> = server.mode === 'platform' ? { authorization: `Token ${server.apiKey}` } : { 'x-api-key': server.apiKey };
  const response = await fetch(`${server.url}${path}`, {
    method, headers: { 'content-type': 'application/json', ...auth, ...headers }, ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
};

describe('mem0 wire server, Platform surface', () => {
  let server: Mem0WireServer;
  beforeEach(async () => {
    server ??= await createMem0WireServer();
    server.reset();
  });
  afterAll(() => server.close());

  it('answers ping with the org and project only to a Token key', async () => {
    expect((await call(server, 'GET', '/v1/ping/')).body).toMatchObject({ status: 'ok', org_id: expect.any(String) });
    const wrong = await call(server, 'GET', '/v1/ping/', undefined, { authorization: 'Bearer nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.detail).toMatch(/Invalid API key/);
  });

  it('adds verbatim with infer false, then gets, updates, records history and deletes', async () => {
    const added = await call(server, 'POST', '/v3/memories/add/', { messages: [{ role: 'user', content: 'I like foxes' }, { role: 'system', content: 'x' }], user_id: 'u1', infer: false, metadata: { k: 1 } });
    expect(added.body).toMatchObject({ status: 'SUCCEEDED', results: [{ data: { memory: 'I like foxes' }, event: 'ADD' }] });
    const id = added.body.results[0].id as string;
    expect((await call(server, 'GET', `/v1/memories/${id}/`)).body).toMatchObject({ id, memory: 'I like foxes', user_id: 'u1', session_id: null, metadata: { k: 1 } });
    expect((await call(server, 'PUT', `/v1/memories/${id}/`, { text: 'I love foxes' })).body.memory).toBe('I love foxes');
    expect((await call(server, 'DELETE', `/v1/memories/${id}/`)).body.message).toBe('Memory deleted successfully!');
    const history = await call(server, 'GET', `/v1/memories/${id}/history/`);
    expect(history.body.map((entry: any) => entry.event)).toEqual(['ADD', 'UPDATE', 'DELETE']);
    expect((await call(server, 'GET', `/v1/memories/${id}/`)).body).toEqual({ error: 'Memory not found!' });
    expect((await call(server, 'GET', '/v1/memories/not-a-uuid/')).body).toEqual({ error: 'memory_id should be a valid UUID' });
  });

  it('answers an add with inference as PENDING and resolves the event', async () => {
    const added = await call(server, 'POST', '/v3/memories/add/', { messages: [{ role: 'user', content: 'tea' }], agent_id: 'a1' });
    expect(added.body).toEqual({ event_id: expect.any(String), status: 'PENDING' });
    const event = await call(server, 'GET', `/v1/event/${added.body.event_id}/`);
    expect(event.body).toMatchObject({ status: 'SUCCEEDED', results: [{ event: 'ADD' }] });
  });

  it('rejects bad adds with the error-plus-details body', async () => {
    const noScope = await call(server, 'POST', '/v3/memories/add/', { messages: [{ role: 'user', content: 'x' }] });
    expect(noScope.status).toBe(400);
    expect(noScope.body.details.message).toMatch(/user_id/);
  });

  it('searches and lists with the v2 filter grammar and pages like mem0', async () => {
    for (const [content, user, colour] of [['red fox', 'u1', 'red'], ['blue whale', 'u1', 'blue'], ['red panda', 'u2', 'red']] as const) {
      await call(server, 'POST', '/v3/memories/add/', { messages: [{ role: 'user', content }], user_id: user, metadata: { colour }, infer: false });
    }
    const hits = await call(server, 'POST', '/v3/memories/search/', { query: 'red', filters: { OR: [{ user_id: 'u1' }, { user_id: 'u2' }], metadata: { colour: 'red' } } });
    expect(hits.body.results.map((hit: any) => hit.memory).sort()).toEqual(['red fox', 'red panda']);
    expect((await call(server, 'POST', '/v3/memories/search/', { query: 'red', user_id: 'u1', filters: { user_id: 'u1' } })).status).toBe(400);
    expect((await call(server, 'POST', '/v3/memories/search/', { query: 'red', filters: { colour: 'x' } })).body.message).toMatch(/colour/);
    const page = await call(server, 'POST', '/v3/memories/?page=1&page_size=1', { filters: { user_id: 'u1' } });
    expect(page.body).toMatchObject({ count: 2, previous: null, results: [{ memory: 'blue whale' }] });
    expect(page.body.next).toContain('page=2');
  });

  it('deletes all of a scope asynchronously, in batches, and lists entities', async () => {
    const ids: string[] = [];
    for (const content of ['a', 'b', 'c']) {
      ids.push((await call(server, 'POST', '/v3/memories/add/', { messages: [{ role: 'user', content }], user_id: 'u9', infer: false })).body.results[0].id);
    }
    expect((await call(server, 'GET', '/v1/entities/')).body).toMatchObject({ count: 1, total_users: 1, results: [{ name: 'u9', type: 'user', total_memories: 3 }] });
    expect((await call(server, 'PUT', '/v1/batch/', { memories: [{ memory_id: ids[0], text: 'A' }] })).body.message).toBe('Successfully updated 1 memories');
    expect((await call(server, 'DELETE', '/v1/batch/', { memories: [{ memory_id: ids[1] }] })).body.message).toBe('Successfully deleted 1 memories');
    expect((await call(server, 'DELETE', '/v1/memories/')).status).toBe(400);
    const deleting = await call(server, 'DELETE', '/v1/memories/?user_id=u9');
    expect(deleting.body).toMatchObject({ message: 'Delete in progress. This may take some time.', event_id: expect.any(String) });
    expect(server.store.memories.size).toBe(0);
  });

  it('records method, path, query, headers and body of every request', async () => {
    await call(server, 'POST', '/v3/memories/?page=2&page_size=5', { filters: { user_id: 'u1' } });
    expect(server.requests.at(-1)).toMatchObject({ method: 'POST', path: '/v3/memories/', query: { page: '2', page_size: '5' }, body: { filters: { user_id: 'u1' } } });
    expect(server.requests.at(-1)!.headers.authorization).toBe(`Token ${server.apiKey}`);
  });
});

describe('mem0 wire server, OSS surface', () => {
  let server: Mem0WireServer;
  beforeEach(async () => {
    server ??= await createMem0WireServer({ mode: 'oss' });
    server.reset();
  });
  afterAll(() => server.close());

  it('accepts X-API-Key or Bearer, never Token', async () => {
    expect((await call(server, 'GET', '/memories?user_id=u1')).status).toBe(200);
    expect((await call(server, 'GET', '/memories?user_id=u1', undefined, { 'x-api-key': '', authorization: `Bearer ${server.apiKey}` })).status).toBe(200);
    const token = await call(server, 'GET', '/memories?user_id=u1', undefined, { 'x-api-key': '', authorization: `Token ${server.apiKey}` });
    expect(token.status).toBe(401);
    expect(token.headers.get('x-request-id')).toBeTruthy();
  });

  it('serves flat paths without slashes, null for a missing memory, and search with filters', async () => {
    const added = await call(server, 'POST', '/memories', { messages: [{ role: 'user', content: 'green tea' }], user_id: 'u1', infer: false });
    const id = added.body.results[0].id as string;
    expect((await call(server, 'GET', `/memories/${id}`)).body).toMatchObject({ id, memory: 'green tea', user_id: 'u1' });
    expect((await call(server, 'GET', '/memories/00000000-0000-4000-8000-000000000000')).body).toBeNull();
    expect((await call(server, 'POST', '/search', { query: 'tea', filters: { user_id: 'u1' } })).body.results[0]).toMatchObject({ id, score: 1 });
    expect((await call(server, 'POST', '/search', { query: 'tea' })).body.results).toHaveLength(1);
    expect((await call(server, 'PUT', `/memories/${id}`, { text: 'black tea' })).body).toEqual({ message: 'Memory updated successfully!' });
    expect((await call(server, 'GET', `/memories/${id}/history`)).body).toHaveLength(2);
    expect((await call(server, 'GET', '/v1/ping/')).status).toBe(404);
    expect((await call(server, 'DELETE', '/memories?user_id=u1')).body).toEqual({ message: 'All relevant memories deleted' });
    expect((await call(server, 'DELETE', `/memories/${id}`)).status).toBe(404);
  });
});
