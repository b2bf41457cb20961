import { describe, expect, it } from 'vitest';
import { useTestGateway } from '../../testing/use-test-gateway.js';

const gateway = useTestGateway();

describe('DELETE /v1/memories/ by entity', () => {
  it('deletes only memories matching every given id, ignoring org_id and project_id', async () => {
    await gateway().call('POST', '/v3/memories/add/', { messages: 'in run 1', user_id: 'u-del', run_id: 'r1', infer: false });
    await gateway().call('POST', '/v3/memories/add/', { messages: 'in run 2', user_id: 'u-del', run_id: 'r2', infer: false });
    const deleted = await gateway().call('DELETE', '/v1/memories/?user_id=u-del&run_id=r1&org_id=o&project_id=p');
    expect(deleted.body).toMatchObject({ message: 'Memories deleted successfully!', deleted_count: 1 });
    const left = await gateway().call('POST', '/v3/memories/', { filters: { user_id: 'u-del' } });
    expect(left.body.results.map((memory: { memory: string }) => memory.memory)).toEqual(['in run 2']);
  });

  it('refuses mem0’s "*" wildcard with a 400 naming the field', async () => {
    const response = await gateway().call('DELETE', '/v1/memories/?user_id=*');
    expect(response).toMatchObject({ status: 400, body: { field: 'user_id' } });
  });
});
