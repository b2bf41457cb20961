import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSecuredGateway, type SecuredGateway } from '../testing/start-secured-gateway.js';

let secured: SecuredGateway;

beforeAll(async () => {
  secured = await startSecuredGateway();
}, 60_000);

afterAll(async () => secured?.close());

describe('Idempotency-Key under several keys', () => {
  it('is kept per key: the same header value from two keys writes twice and shares no answer', async () => {
    const first = await secured.mintKey({ name: 'idem-a', roles: ['writer'] });
    const second = await secured.mintKey({ name: 'idem-b', roles: ['writer'] });
    const add = (key: string, content: string) => secured.call(key, 'POST', '/v3/memories/add/', { messages: [{ role: 'user', content }], user_id: 'shared', infer: false }, { 'idempotency-key': 'same-value' });
    const fromFirst = await add(first.key, 'written by a');
    const fromSecond = await add(second.key, 'written by b');
    expect([fromFirst.status, fromSecond.status]).toEqual([200, 200]);
    expect(fromSecond.body.results[0].id).not.toBe(fromFirst.body.results[0].id);
    expect(fromSecond.body.results[0].memory).toBe('written by b');
    // Within one key the header still makes a retry answer with the first write.
    const retried = await add(first.key, 'written by a');
    expect(retried.body.results[0].id).toBe(fromFirst.body.results[0].id);
  });
});
