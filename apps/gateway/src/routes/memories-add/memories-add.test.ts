import { describe, expect, it } from 'vitest';
import { useTestGateway } from '../../testing/use-test-gateway.js';

const gateway = useTestGateway();

describe('mem0 add routes', () => {
  it('says when infer: true was stored verbatim, and not when infer is false', async () => {
    const inferred = await gateway().call('POST', '/v3/memories/add', { messages: [{ role: 'user', content: 'a' }], user_id: 'u-infer' });
    expect(inferred.body.message).toMatch(/infer: true was treated as infer: false/);
    const verbatim = await gateway().call('POST', '/v3/memories/add', { messages: [{ role: 'user', content: 'b' }], user_id: 'u-infer', infer: false });
    expect(verbatim.body.message).toBe('Stored 1 memories.');
  });

  it('takes a plain string as one user message and backdates with timestamp (epoch seconds)', async () => {
    const added = await gateway().call('POST', '/v3/memories/add/', { messages: 'Born in 1990', agent_id: 'a-time', timestamp: 1_700_000_000, infer: false });
    const got = await gateway().call('GET', `/v1/memories/${added.body.results[0].id}/`);
    expect(got.body).toMatchObject({ memory: 'Born in 1990', agent_id: 'a-time', user_id: null, created_at: '2023-11-14T22:13:20.000Z' });
  });

  it('accepts fields mem0 clients send that memgate does not use (org_id, version, async_mode)', async () => {
    const added = await gateway().call('POST', '/v1/memories/', { messages: [{ role: 'user', content: 'c' }], user_id: 'u-extra', org_id: 'o', project_id: 'p', version: 'v2', async_mode: false });
    expect(added.status).toBe(200);
  });

  it('answers the v1 route with a bare array, or {results, relations} for output_format v1.1', async () => {
    const bare = await gateway().call('POST', '/v1/memories/', { messages: [{ role: 'user', content: 'v1 bare' }], user_id: 'u-v1' });
    expect(bare.body).toEqual([{ id: expect.any(String), memory: 'v1 bare', event: 'ADD', data: { memory: 'v1 bare' } }]);
    const wrapped = await gateway().call('POST', '/v1/memories/', { messages: [{ role: 'user', content: 'v1 wrapped' }], user_id: 'u-v1', output_format: 'v1.1' });
    expect(wrapped.body).toMatchObject({ results: [{ memory: 'v1 wrapped' }], relations: [] });
  });

  it('rejects a bad timestamp, an empty message and non-object metadata, naming the field', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ messages: 'x', user_id: 'u', timestamp: 'yesterday-ish' }, /^timestamp/],
      [{ messages: [{ role: 'user', content: '   ' }], user_id: 'u' }, /^messages\[0\]\.content/],
      [{ messages: 'x', user_id: 'u', metadata: 'not an object' }, /^metadata/],
      [{ messages: 'x', user_id: '' }, /^user_id/],
      [{ messages: [{ content: 'no role' }], user_id: 'u' }, /^messages\[0\]\.role/],
    ];
    for (const [body, message] of cases) {
      const response = await gateway().call('POST', '/v3/memories/add/', body);
      expect(response.status).toBe(400);
      expect(response.body.error).toMatch(message);
    }
  });

  it('answers 400 for a body that is not JSON even with a JSON content type', async () => {
    const response = await gateway().call('POST', '/v3/memories/add/', 'messages=x');
    expect(response).toMatchObject({ status: 400, body: { error: 'Malformed JSON in request body' } });
  });

  it('answers 415 naming the content type for a body sent without Content-Type: application/json', async () => {
    const response = await fetch(`${gateway().url}/v3/memories/add/`, { method: 'POST', headers: { authorization: `Token ${gateway().key}`, 'content-type': 'text/plain' }, body: '{"messages":"x","user_id":"u"}' });
    expect(response.status).toBe(415);
    expect(await response.json()).toEqual({ error: 'body: send the body as JSON with Content-Type: application/json', field: 'body' });
  });
});
