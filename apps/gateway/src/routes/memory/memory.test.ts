import { describe, expect, it } from 'vitest';
import { useTestGateway } from '../../testing/use-test-gateway.js';

const gateway = useTestGateway();

async function add(content: string): Promise<string> {
  const added = await gateway().call('POST', '/v3/memories/add/', { messages: [{ role: 'user', content }], user_id: 'u-memory', metadata: { keep: 1 }, infer: false });
  return added.body.results[0].id;
}

describe('one memory by id', () => {
  it('updates metadata alone and keeps the text', async () => {
    const id = await add('Keeps a diary');
    const updated = await gateway().call('PUT', `/v1/memories/${id}/`, { metadata: { keep: 2 } });
    expect(updated.body).toMatchObject({ memory: 'Keeps a diary', metadata: { keep: 2 } });
  });

  it('accepts an upper-case UUID', async () => {
    const id = await add('Upper case id');
    expect((await gateway().call('GET', `/v1/memories/${id.toUpperCase()}/`)).body.id).toBe(id);
  });

  it('keeps the history of a deleted memory', async () => {
    const id = await add('Soon gone');
    await gateway().call('DELETE', `/v1/memories/${id}/`);
    const history = await gateway().call('GET', `/v1/memories/${id}/history/`);
    expect(history.body.map((entry: { event: string }) => entry.event)).toEqual(['ADD', 'DELETE']);
  });

  it('rejects an update with wrong types, naming the field', async () => {
    const id = await add('Typed');
    const response = await gateway().call('PUT', `/v1/memories/${id}/`, { text: 12 });
    expect(response).toMatchObject({ status: 400, body: { field: 'text' } });
  });
});
