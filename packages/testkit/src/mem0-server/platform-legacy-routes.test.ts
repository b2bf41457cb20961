import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createMem0WireServer, type Mem0WireServer } from './create-mem0-wire-server.js';

describe('mem0 wire server, the v1/v2 routes that older clients call', () => {
  let server: Mem0WireServer;
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method, headers: { authorization: `Token ${server.apiKey}`, 'content-type': 'application/json' }, ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  beforeEach(async () => {
    server ??= await createMem0WireServer({ maxBodyBytes: 4096 });
    server.reset();
  });
  afterAll(() => server.close());

  it('v1 add queues by default and answers synchronously with async_mode false', async () => {
    const queued = await call('POST', '/v1/memories/', { messages: [{ role: 'user', content: 'queued' }], user_id: 'u1' });
    expect(queued.body).toEqual([{ message: expect.any(String), status: 'PENDING', event_id: expect.any(String) }]);
    const sync = await call('POST', '/v1/memories/', { messages: [{ role: 'user', content: 'now' }], user_id: 'u1', async_mode: false, output_format: 'v1.1' });
    expect(sync.body).toEqual({ results: [{ id: expect.any(String), memory: 'now', event: 'ADD' }], relations: [] });
    expect((await call('GET', '/v1/events/')).body.count).toBe(1);
  });

  it('v1 and v2 search and listing keep their own shapes', async () => {
    await call('POST', '/v3/memories/add/', { messages: [{ role: 'user', content: 'hiking boots' }], user_id: 'u1', run_id: 'r1', infer: false });
    const v2 = await call('POST', '/v2/memories/search/', { query: 'hiking', filters: { user_id: 'u1' } });
    expect(v2.body).toEqual([expect.objectContaining({ memory: 'hiking boots', session_id: 'r1' })]);
    const v1 = await call('POST', '/v1/memories/search/', { query: 'boots', user_id: 'u1' });
    expect(v1.body).toHaveLength(1);
    expect((await call('GET', '/v1/memories/?user_id=u1')).body).toHaveLength(1);
    expect((await call('GET', '/v1/memories/?user_id=u1&page=1&page_size=5')).body).toMatchObject({ count: 1, results: [{ memory: 'hiking boots' }] });
    expect((await call('POST', '/v2/memories/', { filters: { user_id: 'u1' } })).body).toHaveLength(1);
    expect((await call('GET', '/v1/memories/')).status).toBe(400);
  });

  it('deletes an entity asynchronously on v1 and v2 paths', async () => {
    await call('POST', '/v3/memories/add/', { messages: [{ role: 'user', content: 'x' }], agent_id: 'a1', infer: false });
    const deleting = await call('DELETE', '/v2/entities/agent/a1/');
    expect(deleting.body).toEqual({ message: expect.any(String), event_id: expect.any(String) });
    expect(server.store.memories.size).toBe(0);
    expect((await call('DELETE', '/v1/entities/planet/p1/')).status).toBe(400);
  });

  it('refuses a body that is not JSON (400) or too large (413)', async () => {
    expect((await call('POST', '/v3/memories/add/', '{not json')).status).toBe(400);
    expect((await call('POST', '/v3/memories/add/', { messages: [{ role: 'user', content: 'x'.repeat(5000) }], user_id: 'u1' })).status).toBe(413);
  });
});
