import { describe, expect, it } from 'vitest';
import { useTestGateway } from '../../testing/use-test-gateway.js';

const gateway = useTestGateway();

describe('GET /v1/event/{id}/', () => {
  it('answers for the event id of a delete-all with its count', async () => {
    await gateway().call('POST', '/v3/memories/add/', { messages: 'x', user_id: 'u-events', infer: false });
    const deleted = await gateway().call('DELETE', '/v1/memories/?user_id=u-events');
    const event = await gateway().call('GET', `/v1/event/${deleted.body.event_id}`);
    expect(event.body).toMatchObject({ event_type: 'DELETE', status: 'SUCCEEDED', results: [{ deleted_count: 1 }], payload: { userId: 'u-events' } });
    expect(event.body.latency).toBeGreaterThanOrEqual(0);
  });
});
