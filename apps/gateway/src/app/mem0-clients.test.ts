import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MemoryProviderV1 } from '@memgate/core';
import { createMem0MemoryProvider } from '@memgate/mem0';
import { createPostgresMemoryProvider } from '@memgate/postgres';
import { createMem0WireServer } from '@memgate/testkit/mem0-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../testing/start-test-gateway.js';

// mem0ai reads these at module load: no telemetry to PostHog, identity files in a temp dir.
process.env.MEM0_TELEMETRY = 'false';
process.env.MEM0_DIR = mkdtempSync(join(tmpdir(), 'memgate-mem0-dir-'));
const { MemoryClient: MemoryClient3, MemoryNotFoundError: NotFound3, ValidationError: Invalid3 } = await import('mem0ai');
const { MemoryClient: MemoryClient2 } = await import('mem0ai-v2');

const unique = (prefix: string): string => `${prefix}-${Math.random().toString(36).slice(2)}`;
const texts = (memories: Array<{ memory: string }>): string[] => memories.map((memory) => memory.memory).sort();

/** A memory backend for the gateway under test, and how to release it. */
interface Backend {
  readonly provider: MemoryProviderV1;
  close(): Promise<void>;
}

// The official clients against memgate on its embedded default (PGlite), and against memgate in front of
// mem0 itself (the mem0 provider talking to the mem0 wire-format server): the same calls, the same answers.
const backends: Array<[string, () => Promise<Backend>]> = [
  [
    'the embedded default (PGlite)',
    async () => {
      const provider = createPostgresMemoryProvider({ name: 'pglite', connectionString: 'pglite://memory' });
      return { provider, close: () => provider.close() };
    },
  ],
  [
    'the mem0 provider in front of the mem0 wire-format server',
    async () => {
      const upstream = await createMem0WireServer({ mode: 'platform' });
      const provider = createMem0MemoryProvider({ mode: 'platform', baseUrl: upstream.url, apiKey: upstream.apiKey, pollIntervalMs: 5 });
      return {
        provider,
        close: async () => {
          await provider.close();
          await upstream.close();
        },
      };
    },
  ],
];

for (const [label, createBackend] of backends) {
  describe(`the official mem0 clients against memgate on ${label}`, () => {
    let backend: Backend;
    let gateway: TestGateway;
    beforeAll(async () => {
      backend = await createBackend();
      await backend.provider.probe();
      gateway = await startTestGateway(backend.provider);
    }, 60_000);
    afterAll(async () => {
      await gateway?.close();
      await backend?.close();
    });

    describe('mem0ai 3.3.1 MemoryClient against memgate', () => {
      const client = (): InstanceType<typeof MemoryClient3> => new MemoryClient3({ apiKey: gateway.key, host: gateway.url });

      it('adds with infer false and by default, and reads back through get, getAll and search', async () => {
        const mem0 = client();
        const userId = unique('alice');
        const verbatim = await mem0.add([{ role: 'user', content: 'I keep bees in my garden' }], { userId, infer: false, metadata: { topic: 'hobby' } });
        const inferred = await mem0.add([{ role: 'user', content: 'My favourite honey is lavender' }], { userId });
        expect(verbatim).toMatchObject({ status: 'SUCCEEDED', results: [{ memory: 'I keep bees in my garden', event: 'ADD' }] });
        expect(inferred).toMatchObject({ status: 'SUCCEEDED', results: [{ memory: 'My favourite honey is lavender' }] });
        const id = (verbatim as unknown as { results: Array<{ id: string }> }).results[0]!.id;
        const got = await mem0.get(id);
        expect(got).toMatchObject({ id, memory: 'I keep bees in my garden', userId, metadata: { topic: 'hobby' } });
        const page1 = (await mem0.getAll({ filters: { user_id: userId }, page: 1, pageSize: 1 })) as unknown as { count: number; next: string | null; results: Array<{ memory: string }> };
        const page2 = (await mem0.getAll({ filters: { user_id: userId }, page: 2, pageSize: 1 })) as unknown as { results: Array<{ memory: string }> };
        expect(page1.count).toBe(2);
        expect(page1.next).toContain('page=2');
        expect(texts([...page1.results, ...page2.results])).toEqual(['I keep bees in my garden', 'My favourite honey is lavender']);
        const found = (await mem0.search('bees', { filters: { user_id: userId } })) as unknown as { results: Array<{ memory: string; score: number; userId: string }> };
        expect(found.results[0]).toMatchObject({ memory: 'I keep bees in my garden', userId });
      });

      it('searches with v2 filters: AND with metadata, OR across entities', async () => {
        const mem0 = client();
        const userId = unique('bob');
        const agentId = unique('agent');
        await mem0.add([{ role: 'user', content: 'Running a marathon in spring' }], { userId, infer: false, metadata: { kind: 'goal' } });
        await mem0.add([{ role: 'user', content: 'Running shoes wear out after 800 km' }], { userId, infer: false, metadata: { kind: 'fact' } });
        await mem0.add([{ role: 'assistant', content: 'Running coach plan saved' }], { agentId, infer: false });
        const goals = (await mem0.search('running', { filters: { AND: [{ user_id: userId }, { metadata: { kind: 'goal' } }] } })) as unknown as { results: Array<{ memory: string }> };
        expect(texts(goals.results)).toEqual(['Running a marathon in spring']);
        const either = (await mem0.search('running', { filters: { OR: [{ user_id: userId }, { agent_id: agentId }] }, topK: 10 })) as unknown as { results: Array<{ memory: string }> };
        expect(either.results).toHaveLength(3);
      });

      it('updates, reads history, deletes one and deletes all', async () => {
        const mem0 = client();
        const userId = unique('carol');
        const added = (await mem0.add([{ role: 'user', content: 'Works in Berlin' }, { role: 'user', content: 'Speaks German' }], { userId, infer: false })) as unknown as { results: Array<{ id: string }> };
        const [first, second] = added.results.map((result) => result.id);
        const updated = await mem0.update(first!, { text: 'Works in Munich' });
        expect(updated).toMatchObject({ id: first, memory: 'Works in Munich' });
        const history = await mem0.history(first!);
        expect(history.map((entry) => entry.event)).toEqual(['ADD', 'UPDATE']);
        expect(history[1]).toMatchObject({ oldMemory: 'Works in Berlin', newMemory: 'Works in Munich' });
        expect(await mem0.delete(second!)).toMatchObject({ message: 'Memory deleted successfully!' });
        await expect(mem0.get(second!)).rejects.toBeInstanceOf(NotFound3);
        await expect(mem0.get('not-a-uuid')).rejects.toBeInstanceOf(Invalid3);
        await mem0.deleteAll({ userId });
        const left = (await mem0.getAll({ filters: { user_id: userId } })) as unknown as { count: number };
        expect(left.count).toBe(0);
      });

      it('lists users, deletes an entity, and runs batch update and delete', async () => {
        const mem0 = client();
        const userId = unique('dave');
        const added = (await mem0.add([{ role: 'user', content: 'Owns a cat' }, { role: 'user', content: 'Owns a dog' }], { userId, infer: false })) as unknown as { results: Array<{ id: string }> };
        const ids = added.results.map((result) => result.id);
        const users = (await mem0.users()) as unknown as { results: Array<{ name: string; type: string; totalMemories: number }> };
        expect(users.results).toContainEqual(expect.objectContaining({ name: userId, type: 'user', totalMemories: 2 }));
        expect(await mem0.batchUpdate(ids.map((memoryId) => ({ memoryId, text: 'Owns a parrot' })))).toMatchObject({ message: 'Successfully updated 2 memories' });
        expect((await mem0.get(ids[1]!)).memory).toBe('Owns a parrot');
        expect(await mem0.batchDelete([ids[0]!])).toMatchObject({ message: 'Successfully deleted 1 memories' });
        expect(await mem0.deleteUsers({ userId })).toMatchObject({ message: 'Entity deleted successfully.' });
        const left = (await mem0.getAll({ filters: { user_id: userId } })) as unknown as { count: number };
        expect(left.count).toBe(0);
      });
    });

    describe('mem0ai 2.4.6 MemoryClient against memgate', () => {
      const client = (): InstanceType<typeof MemoryClient2> => new MemoryClient2({ apiKey: gateway.key, host: gateway.url });

      it('adds through /v1/memories/ and reads back through get, v1 and v2 getAll, v1 and v2 search', async () => {
        const mem0 = client();
        const user_id = unique('erin');
        const added = (await mem0.add([{ role: 'user', content: 'Plays the cello' }], { user_id, infer: false, metadata: { topic: 'music' } })) as unknown as Array<{ id: string; memory: string }>;
        await mem0.add([{ role: 'user', content: 'Practises cello scales daily' }], { user_id });
        expect(added[0]).toMatchObject({ memory: 'Plays the cello', event: 'ADD' });
        expect(await mem0.get(added[0]!.id)).toMatchObject({ id: added[0]!.id, memory: 'Plays the cello', user_id, metadata: { topic: 'music' } });
        const all = (await mem0.getAll({ user_id })) as unknown as Array<{ memory: string }>;
        expect(texts(all)).toEqual(['Plays the cello', 'Practises cello scales daily']);
        const paged = (await mem0.getAll({ user_id, page: 1, page_size: 1 })) as unknown as { count: number; results: unknown[] };
        expect(paged).toMatchObject({ count: 2 });
        expect(paged.results).toHaveLength(1);
        const pagedV2 = (await mem0.getAll({ api_version: 'v2', filters: { user_id }, page: 2, page_size: 1 })) as unknown as { count: number; results: unknown[] };
        expect(pagedV2.count).toBe(2);
        expect(pagedV2.results).toHaveLength(1);
        const v1 = (await mem0.search('cello', { user_id })) as unknown as Array<{ memory: string }>;
        expect(texts(v1)).toEqual(['Plays the cello', 'Practises cello scales daily']);
        const v2 = (await mem0.search('cello', { api_version: 'v2', filters: { AND: [{ user_id }, { metadata: { topic: 'music' } }] } })) as unknown as Array<{ memory: string }>;
        expect(texts(v2)).toEqual(['Plays the cello']);
        const either = (await mem0.search('cello', { api_version: 'v2', filters: { OR: [{ user_id }, { agent_id: 'nobody' }] } })) as unknown as Array<{ memory: string }>;
        expect(either).toHaveLength(2);
      });

      it('updates, reads history, deletes, batches, lists users and deletes entities', async () => {
        const mem0 = client();
        const user_id = unique('frank');
        const added = (await mem0.add([{ role: 'user', content: 'Drives a van' }, { role: 'user', content: 'Drives at night' }, { role: 'user', content: 'Naps at noon' }], { user_id, infer: false })) as unknown as Array<{ id: string }>;
        const [first, second, third] = added.map((result) => result.id);
        expect(await mem0.update(first!, { text: 'Drives a truck' })).toMatchObject({ memory: 'Drives a truck' });
        const history = (await mem0.history(first!)) as unknown as Array<{ event: string; new_memory: string }>;
        expect(history.map((entry) => entry.event)).toEqual(['ADD', 'UPDATE']);
        expect(await mem0.batchUpdate([{ memoryId: second!, text: 'Drives by day' }])).toMatchObject({ message: 'Successfully updated 1 memories' });
        expect((await mem0.get(second!)).memory).toBe('Drives by day');
        expect(await mem0.batchDelete([second!])).toMatchObject({ message: 'Successfully deleted 1 memories' });
        expect(await mem0.delete(third!)).toMatchObject({ message: 'Memory deleted successfully!' });
        const users = (await mem0.users()) as unknown as { results: Array<{ name: string; type: string }> };
        expect(users.results).toContainEqual(expect.objectContaining({ name: user_id, type: 'user' }));
        expect(await mem0.deleteUsers({ user_id })).toMatchObject({ message: 'Entity deleted successfully.' });
        expect(await mem0.getAll({ user_id })).toEqual([]);
        const other = unique('gina');
        await mem0.add([{ role: 'user', content: 'Temporary' }], { user_id: other, infer: false });
        await mem0.deleteAll({ user_id: other });
        expect(await mem0.getAll({ user_id: other })).toEqual([]);
      });
    });
  });
}
