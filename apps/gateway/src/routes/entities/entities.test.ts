import { beforeAll, describe, expect, it } from 'vitest';
import { useTestGateway } from '../../testing/use-test-gateway.js';

const gateway = useTestGateway();

beforeAll(async () => {
  await gateway().call('POST', '/v3/memories/add/', { messages: 'one', user_id: 'ent-user', run_id: 'ent-run', infer: false });
  await gateway().call('POST', '/v3/memories/add/', { messages: 'two', user_id: 'ent-user', infer: false });
  await gateway().call('POST', '/v3/memories/add/', { messages: 'three', app_id: 'ent-app', infer: false });
});

describe('entities', () => {
  it('counts each entity’s memories and pages the list', async () => {
    const all = await gateway().call('GET', '/v1/entities/');
    expect(all.body).toMatchObject({ count: 3, total_users: 1, total_runs: 1, total_apps: 1, total_agents: 0 });
    expect(all.body.results).toContainEqual(expect.objectContaining({ type: 'user', name: 'ent-user', total_memories: 2 }));
    const page = await gateway().call('GET', '/v1/entities/?page=2&page_size=2');
    expect(page.body.results).toHaveLength(1);
    expect(page.body.previous).toContain('page=1');
  });

  it('deletes through the v1 route too, and only that entity’s memories', async () => {
    const deleted = await gateway().call('DELETE', '/v1/entities/run/ent-run/');
    expect(deleted.body).toMatchObject({ message: 'Entity deleted successfully!', deleted_count: 1 });
    const left = await gateway().call('POST', '/v3/memories/', { filters: { user_id: 'ent-user' } });
    expect(left.body.results.map((memory: { memory: string }) => memory.memory)).toEqual(['two']);
  });
});
