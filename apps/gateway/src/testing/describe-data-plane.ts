import type { MemoryProviderV1 } from '@memgate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from './start-test-gateway.js';

/**
 * Every data-plane route end to end over HTTP on a real socket, plus the bad inputs of each, against
 * the provider `createProvider` returns. Shared by the in-memory and the PostgreSQL test files so that
 * both drivers answer the same contract. Ids are random per run, so files can share a store.
 */
export function describeDataPlane(label: string, createProvider: () => Promise<MemoryProviderV1>, closeProvider = true): void {
  describe(`the mem0 data plane over ${label}`, () => {
    let gateway: TestGateway;
    let provider: MemoryProviderV1;
    const user = `user-${Math.random().toString(36).slice(2)}`;
    const otherUser = `${user}-other`;
    const agent = `agent-${Math.random().toString(36).slice(2)}`;

    beforeAll(async () => {
      provider = await createProvider();
      // Providers connect lazily; pay PGlite's start-up here rather than in the first test.
      await provider.probe();
      gateway = await startTestGateway(provider);
    }, 60_000);
    afterAll(async () => {
      await gateway?.close();
      if (closeProvider) await provider?.close();
    });

    const addOne = async (content: string, extra: Record<string, unknown> = {}): Promise<string> => {
      const added = await gateway.call('POST', '/v3/memories/add/', { messages: [{ role: 'user', content }], user_id: user, infer: false, ...extra });
      expect(added.status).toBe(200);
      return added.body.results[0].id as string;
    };

    it('adds each non-system message verbatim as one memory and answers with mem0’s v3 shape and an event id', async () => {
      const added = await gateway.call('POST', '/v3/memories/add/', {
        messages: [
          { role: 'system', content: 'You are helpful' },
          { role: 'user', content: 'I adopted a red fox named Ember' },
          { role: 'assistant', content: 'Ember is a lovely name' },
        ],
        user_id: user,
        metadata: { source: 'chat', tags: ['pets'] },
      });
      expect(added.status).toBe(200);
      expect(added.body.status).toBe('SUCCEEDED');
      expect(added.body.results.map((result: { memory: string }) => result.memory)).toEqual(['I adopted a red fox named Ember', 'Ember is a lovely name']);
      expect(added.body.results[0]).toMatchObject({ event: 'ADD', data: { memory: 'I adopted a red fox named Ember' } });
      expect(added.body.message).toMatch(/verbatim/);
      const event = await gateway.call('GET', `/v1/event/${added.body.event_id}/`);
      expect(event.status).toBe(200);
      expect(event.body).toMatchObject({ id: added.body.event_id, status: 'SUCCEEDED', event_type: 'ADD' });
      expect(event.body.results).toHaveLength(2);
    });

    it('gets a memory by id in snake_case with run_id and session_id both present', async () => {
      const id = await addOne('Prefers tea over coffee', { run_id: 'run-1', metadata: { drink: 'tea' } });
      const got = await gateway.call('GET', `/v1/memories/${id}/`);
      expect(got.status).toBe(200);
      expect(got.body).toMatchObject({ id, memory: 'Prefers tea over coffee', user_id: user, run_id: 'run-1', session_id: 'run-1', metadata: { drink: 'tea' } });
      expect(typeof got.body.created_at).toBe('string');
      const withoutSlash = await gateway.call('GET', `/v1/memories/${id}`);
      expect(withoutSlash.body.id).toBe(id);
    });

    it('searches within filters (AND, OR, metadata) and ranks matching memories', async () => {
      await addOne('Likes hiking in the Alps', { metadata: { topic: 'outdoors' } });
      await gateway.call('POST', '/v3/memories/add/', { messages: [{ role: 'user', content: 'Hiking boots are size 44' }], agent_id: agent, infer: false });
      const byUser = await gateway.call('POST', '/v3/memories/search/', { query: 'hiking', filters: { user_id: user } });
      expect(byUser.status).toBe(200);
      expect(byUser.body.results.map((result: { memory: string }) => result.memory)).toContain('Likes hiking in the Alps');
      expect(byUser.body.results.every((result: { user_id: string }) => result.user_id === user)).toBe(true);
      expect(typeof byUser.body.results[0].score).toBe('number');
      const either = await gateway.call('POST', '/v3/memories/search', { query: 'hiking', filters: { OR: [{ user_id: user }, { agent_id: agent }] }, top_k: 10 });
      expect(either.body.results.map((result: { memory: string }) => result.memory).sort()).toEqual(['Hiking boots are size 44', 'Likes hiking in the Alps']);
      const byMetadata = await gateway.call('POST', '/v3/memories/search/', { query: 'hiking', filters: { AND: [{ user_id: user }, { metadata: { topic: 'outdoors' } }] } });
      expect(byMetadata.body.results.map((result: { memory: string }) => result.memory)).toEqual(['Likes hiking in the Alps']);
    });

    it('lists memories page by page with count, next and previous', async () => {
      const listUser = `${user}-list`;
      for (const content of ['one', 'two', 'three']) {
        await gateway.call('POST', '/v3/memories/add/', { messages: [{ role: 'user', content: `memory ${content}` }], user_id: listUser, infer: false });
      }
      const first = await gateway.call('POST', '/v3/memories/?page=1&page_size=2', { filters: { user_id: listUser } });
      expect(first.status).toBe(200);
      expect(first.body.count).toBe(3);
      expect(first.body.results).toHaveLength(2);
      expect(first.body.next).toContain('page=2');
      expect(first.body.previous).toBeNull();
      const second = await gateway.call('POST', '/v3/memories/?page=2&page_size=2', { filters: { user_id: listUser } });
      expect(second.body.results).toHaveLength(1);
      expect(second.body.next).toBeNull();
      const all = [...first.body.results, ...second.body.results].map((memory: { memory: string }) => memory.memory).sort();
      expect(all).toEqual(['memory one', 'memory three', 'memory two']);
      const v1 = await gateway.call('GET', `/v1/memories/?user_id=${listUser}`);
      expect(v1.body).toHaveLength(3);
      const v2 = await gateway.call('POST', '/v2/memories/?page=1&page_size=1', { filters: { user_id: listUser } });
      expect(v2.body).toMatchObject({ count: 3 });
    });

    it('updates text and metadata, and keeps the ADD and UPDATE history', async () => {
      const id = await addOne('Lives in Lyon');
      const updated = await gateway.call('PUT', `/v1/memories/${id}/`, { text: 'Lives in Paris', metadata: { moved: true } });
      expect(updated.status).toBe(200);
      expect(updated.body).toMatchObject({ id, memory: 'Lives in Paris', metadata: { moved: true } });
      const history = await gateway.call('GET', `/v1/memories/${id}/history/`);
      expect(history.status).toBe(200);
      expect(history.body.map((entry: { event: string }) => entry.event)).toEqual(['ADD', 'UPDATE']);
      expect(history.body[1]).toMatchObject({ memory_id: id, old_memory: 'Lives in Lyon', new_memory: 'Lives in Paris' });
    });

    it('deletes one memory, then answers 404 for it', async () => {
      const id = await addOne('Temporary note');
      const deleted = await gateway.call('DELETE', `/v1/memories/${id}/`);
      expect(deleted).toMatchObject({ status: 200, body: { message: 'Memory deleted successfully!' } });
      expect((await gateway.call('GET', `/v1/memories/${id}/`)).status).toBe(404);
      expect((await gateway.call('DELETE', `/v1/memories/${id}/`)).status).toBe(404);
    });

    it('updates and deletes in batches', async () => {
      const first = await addOne('batch first');
      const second = await addOne('batch second');
      const updated = await gateway.call('PUT', '/v1/batch/', { memories: [{ memory_id: first, text: 'batch first, edited' }, { memory_id: second, text: 'batch second, edited' }] });
      expect(updated).toMatchObject({ status: 200, body: { message: 'Successfully updated 2 memories' } });
      expect((await gateway.call('GET', `/v1/memories/${second}/`)).body.memory).toBe('batch second, edited');
      const deleted = await gateway.call('DELETE', '/v1/batch/', { memories: [{ memory_id: first }, { memory_id: second }] });
      expect(deleted).toMatchObject({ status: 200, body: { message: 'Successfully deleted 2 memories' } });
      expect((await gateway.call('GET', `/v1/memories/${first}/`)).status).toBe(404);
    });

    it('lists entities and deletes an entity with all its memories', async () => {
      await gateway.call('POST', '/v3/memories/add/', { messages: [{ role: 'user', content: 'other user memory' }], user_id: otherUser, infer: false });
      const entities = await gateway.call('GET', '/v1/entities/?page=1&page_size=1000');
      expect(entities.status).toBe(200);
      const names = entities.body.results.map((entity: { type: string; name: string }) => `${entity.type}:${entity.name}`);
      expect(names).toEqual(expect.arrayContaining([`user:${user}`, `user:${otherUser}`, `agent:${agent}`]));
      expect(entities.body.total_users).toBeGreaterThanOrEqual(2);
      const deleted = await gateway.call('DELETE', `/v2/entities/user/${otherUser}/`);
      expect(deleted.status).toBe(200);
      expect((await gateway.call('GET', `/v1/event/${deleted.body.event_id}/`)).body.event_type).toBe('DELETE');
      expect((await gateway.call('POST', '/v3/memories/', { filters: { user_id: otherUser } })).body.count).toBe(0);
    });

    it('deletes every memory of an entity and leaves other entities alone', async () => {
      const deleted = await gateway.call('DELETE', `/v1/memories/?agent_id=${agent}`);
      expect(deleted.status).toBe(200);
      expect(deleted.body.deleted_count).toBe(1);
      expect((await gateway.call('POST', '/v3/memories/', { filters: { agent_id: agent } })).body.count).toBe(0);
      expect((await gateway.call('POST', '/v3/memories/', { filters: { user_id: user } })).body.count).toBeGreaterThan(0);
    });

    it('rejects bad input with the right 4xx and a message naming the problem', async () => {
      const cases: Array<[string, string, unknown, number, RegExp]> = [
        ['POST', '/v3/memories/add/', { messages: [{ role: 'user', content: 'x' }] }, 400, /user_id/],
        ['POST', '/v3/memories/add/', { messages: [{ role: 'user', content: 42 }], user_id: user }, 400, /messages\[0\]\.content/],
        ['POST', '/v3/memories/add/', { messages: [], user_id: user }, 400, /messages/],
        ['POST', '/v3/memories/add/', { messages: [{ role: 'system', content: 'only system' }], user_id: user }, 400, /non-system/],
        ['POST', '/v3/memories/add/', { messages: 'x', user_id: 7 }, 400, /user_id/],
        ['POST', '/v3/memories/add/', '{"messages": [', 400, /Malformed JSON/],
        ['POST', '/v3/memories/search/', { query: 'x', filters: { colour: 'red', user_id: user } }, 400, /filters\.colour/],
        ['POST', '/v3/memories/search/', { query: 'x', filters: { user_id: { like: user } } }, 400, /filters\.user_id\.like/],
        ['POST', '/v3/memories/search/', { query: 'x', user_id: user }, 400, /top-level entity/],
        ['POST', '/v3/memories/search/', { query: 'x' }, 400, /filters/],
        ['POST', '/v3/memories/search/', { query: 'x', filters: { metadata: { a: 1 } } }, 400, /entity id/],
        ['POST', '/v3/memories/search/', { query: 'x', filters: { user_id: user }, top_k: 'ten' }, 400, /top_k/],
        ['POST', '/v3/memories/search/', { query: '', filters: { user_id: user } }, 400, /query/],
        ['POST', '/v3/memories/', { filters: {} }, 400, /entity id/],
        ['GET', '/v1/memories/not-a-uuid/', undefined, 400, /memory_id should be a valid UUID/],
        ['GET', '/v1/memories/0190a6f0-0000-7000-8000-000000000000/', undefined, 404, /Memory not found!/],
        ['PUT', '/v1/memories/0190a6f0-0000-7000-8000-000000000000/', { text: 'x' }, 404, /Memory not found!/],
        ['PUT', '/v1/memories/0190a6f0-0000-7000-8000-000000000000/', {}, 400, /text/],
        ['GET', '/v1/memories/0190a6f0-0000-7000-8000-000000000000/history/', undefined, 404, /Memory not found!/],
        ['DELETE', '/v1/memories/', undefined, 400, /user_id/],
        ['GET', '/v1/memories/', undefined, 400, /user_id/],
        ['DELETE', '/v1/batch/', { memories: [{ memory_id: 'nope' }] }, 400, /memories\[0\]\.memory_id should be a valid UUID/],
        ['PUT', '/v1/batch/', { memories: [{ memory_id: '0190a6f0-0000-7000-8000-000000000000', text: 'x' }] }, 404, /Memory not found!/],
        ['DELETE', '/v2/entities/planet/mars/', undefined, 400, /entity_type/],
        ['GET', '/v1/event/unknown-event/', undefined, 404, /Event not found/],
      ];
      for (const [method, path, body, status, message] of cases) {
        const response = await gateway.call(method, path, body);
        expect({ method, path, status: response.status }).toEqual({ method, path, status });
        expect(JSON.stringify(response.body)).toMatch(message);
      }
    });

    it('answers 413 with a JSON error for a body over the limit', async () => {
      const response = await gateway.call('POST', '/v3/memories/add/', { messages: 'x'.repeat(1024 * 1024 + 10), user_id: user });
      expect(response.status).toBe(413);
      expect(response.body.error).toMatch(/larger than 1048576 bytes/);
    });
  });
}
