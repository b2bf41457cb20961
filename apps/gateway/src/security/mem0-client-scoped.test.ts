import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securedAdminKey, startSecuredGateway, type SecuredGateway } from '../testing/start-secured-gateway.js';

// mem0ai reads these at module load: no telemetry to PostHog, identity files in a temp dir.
process.env.MEM0_TELEMETRY = 'false';
process.env.MEM0_DIR = mkdtempSync(join(tmpdir(), 'memgate-mem0-scoped-'));
const { MemoryClient } = await import('mem0ai');

type Listed = { results: Array<{ id: string; memory: string; userId?: string }> };

let secured: SecuredGateway;
let foreignId: string;

beforeAll(async () => {
  secured = await startSecuredGateway();
  const added = await secured.call(securedAdminKey, 'POST', '/v3/memories/add/', { messages: [{ role: 'user', content: 'bob keeps a diary' }], user_id: 'bob', infer: false });
  foreignId = added.body.results[0].id;
}, 60_000);

afterAll(async () => secured?.close());

describe('the official mem0ai client with a key bound to one user', () => {
  it('works inside the scope and sees nothing outside it', async () => {
    const { key } = await secured.mintKey({ name: 'alice-agent', roles: ['editor'], scope: { user_id: 'alice' } });
    const mem0 = new MemoryClient({ apiKey: key, host: secured.url });

    const added = (await mem0.add([{ role: 'user', content: 'alice likes tea' }], { userId: 'alice', infer: false })) as unknown as Listed;
    const id = added.results[0]!.id;
    expect((await mem0.get(id)) as unknown).toMatchObject({ id, memory: 'alice likes tea', userId: 'alice' });
    const found = (await mem0.search('diary tea', { filters: { user_id: 'alice' } })) as unknown as Listed;
    expect(found.results.map((memory) => memory.memory)).toEqual(['alice likes tea']);
    // A filter that names no user is confined to alice; one that names bob is refused.
    const wide = (await mem0.getAll({ filters: { user_id: '*' } })) as unknown as Listed;
    expect(wide.results.map((memory) => memory.userId)).toEqual(['alice']);
    await expect(mem0.search('diary', { filters: { user_id: 'bob' } })).rejects.toThrow();
    await expect(mem0.add([{ role: 'user', content: 'written as bob' }], { userId: 'bob', infer: false })).rejects.toThrow();
    // bob's memory by id answers exactly like a memory that does not exist.
    await expect(mem0.get(foreignId)).rejects.toThrow(/not found/i);
    await expect(mem0.delete(foreignId)).rejects.toThrow(/not found/i);
    await expect(mem0.update(foreignId, { text: 'overwritten' })).rejects.toThrow(/not found/i);
    const users = (await mem0.users()) as unknown as { results: Array<{ name: string }> };
    expect(users.results.map((entity) => entity.name)).toEqual(['alice']);

    await mem0.update(id, { text: 'alice likes green tea' });
    expect(((await mem0.history(id)) as unknown as unknown[]).length).toBe(2);
    await mem0.deleteAll({ userId: 'alice' });
    const bob = await secured.call(securedAdminKey, 'GET', `/v1/memories/${foreignId}/`);
    expect(bob.body).toMatchObject({ memory: 'bob keeps a diary' });
  }, 60_000);
});
