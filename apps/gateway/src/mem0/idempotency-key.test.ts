import { createFailoverPool, createInMemoryWriteJournal } from '@memgate/failover';
import { createInMemoryMemoryProvider } from '@memgate/testkit';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../testing/start-test-gateway.js';

describe('the Idempotency-Key header', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    const pool = createFailoverPool({ name: 'pool', providers: [{ provider: createInMemoryMemoryProvider({ name: 'a' }) }, { provider: createInMemoryMemoryProvider({ name: 'b' }) }], journal: createInMemoryWriteJournal() });
    gateway = await startTestGateway(pool);
  });
  afterAll(() => gateway.close());

  const add = (userId: string, content: string, key?: string) =>
    gateway.call('POST', '/v3/memories/add/', { messages: [{ role: 'user', content }], user_id: userId, infer: false }, key === undefined ? {} : { 'idempotency-key': key });

  it('answers a retried add with the first result and stores the memory once', async () => {
    const userId = randomUUID();
    const first = await add(userId, 'likes tea', 'retry-1');
    const second = await add(userId, 'likes tea', 'retry-1');
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.body.results.map((result: { id: string }) => result.id)).toEqual(first.body.results.map((result: { id: string }) => result.id));
    const listing = await gateway.call('POST', '/v3/memories/', { filters: { user_id: userId } });
    expect(listing.body.count).toBe(1);
  });

  it('stores a second memory when the key differs, or when there is none', async () => {
    const userId = randomUUID();
    await add(userId, 'likes tea', 'k-a');
    await add(userId, 'likes tea', 'k-b');
    await add(userId, 'likes tea');
    const listing = await gateway.call('POST', '/v3/memories/', { filters: { user_id: userId } });
    expect(listing.body.count).toBe(3);
  });

  it('refuses the same key for a different request with 409', async () => {
    const userId = randomUUID();
    expect((await add(userId, 'likes tea', 'k-conflict')).status).toBe(200);
    const other = await add(userId, 'likes coffee', 'k-conflict');
    expect(other.status).toBe(409);
  });

  it('gives each item of a batch its own key, so a batch with a key applies every item', async () => {
    const userId = randomUUID();
    const ids = [(await add(userId, 'one')).body.results[0].id, (await add(userId, 'two')).body.results[0].id];
    const batch = await gateway.call('PUT', '/v1/batch/', { memories: ids.map((memory_id, index) => ({ memory_id, text: `changed ${index}` })) }, { 'idempotency-key': 'batch-1' });
    expect(batch.status).toBe(200);
    const texts = await Promise.all(ids.map(async (id) => (await gateway.call('GET', `/v1/memories/${id}/`)).body.memory));
    expect(texts).toEqual(['changed 0', 'changed 1']);
  });

  it('rejects an over-long key with 400 naming the header', async () => {
    const response = await add(randomUUID(), 'x', 'k'.repeat(256));
    expect(response.status).toBe(400);
    expect(response.body.error).toContain('Idempotency-Key');
  });
});
