import { describe, expect, it } from 'vitest';
import { useTestGateway } from '../../testing/use-test-gateway.js';

const gateway = useTestGateway();

describe('batch routes', () => {
  it('applies nothing when one id of the batch is unknown', async () => {
    const added = await gateway().call('POST', '/v3/memories/add/', { messages: 'unchanged', user_id: 'u-batch', infer: false });
    const id = added.body.results[0].id;
    const response = await gateway().call('PUT', '/v1/batch/', { memories: [{ memory_id: id, text: 'changed' }, { memory_id: '0190a6f0-0000-7000-8000-000000000001', text: 'x' }] });
    expect(response.status).toBe(404);
    expect((await gateway().call('GET', `/v1/memories/${id}/`)).body.memory).toBe('unchanged');
  });

  it('rejects an empty batch, a batch over 1000 and an item without text or metadata', async () => {
    expect((await gateway().call('DELETE', '/v1/batch/', { memories: [] })).body.field).toBe('memories');
    const tooMany = Array.from({ length: 1001 }, () => ({ memory_id: '0190a6f0-0000-7000-8000-000000000001' }));
    expect((await gateway().call('DELETE', '/v1/batch/', { memories: tooMany })).body.field).toBe('memories');
    const added = await gateway().call('POST', '/v3/memories/add/', { messages: 'x', user_id: 'u-batch', infer: false });
    const empty = await gateway().call('PUT', '/v1/batch/', { memories: [{ memory_id: added.body.results[0].id }] });
    expect(empty).toMatchObject({ status: 400, body: { field: 'memories[0].text' } });
  });
});
