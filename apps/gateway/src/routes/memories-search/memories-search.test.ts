import { beforeAll, describe, expect, it } from 'vitest';
import { useTestGateway } from '../../testing/use-test-gateway.js';

const gateway = useTestGateway();
const memories = (body: Array<{ memory: string }>): string[] => body.map((memory) => memory.memory).sort();

beforeAll(async () => {
  await gateway().call('POST', '/v3/memories/add/', { messages: [{ role: 'user', content: 'Sailing on the lake' }], user_id: 'u-search', metadata: { place: 'lake' }, infer: false });
  await gateway().call('POST', '/v3/memories/add/', { messages: [{ role: 'user', content: 'Sailing at sea' }], user_id: 'u-search', metadata: { place: 'sea' }, infer: false });
  await gateway().call('POST', '/v3/memories/add/', { messages: [{ role: 'user', content: 'Sailing lessons' }], user_id: 'u-search-other', infer: false });
});

describe('mem0 search routes', () => {
  it('v1 takes entity ids at the top level and metadata as equality', async () => {
    const all = await gateway().call('POST', '/v1/memories/search/', { query: 'sailing', user_id: 'u-search' });
    expect(memories(all.body)).toEqual(['Sailing at sea', 'Sailing on the lake']);
    const lake = await gateway().call('POST', '/v1/memories/search/', { query: 'sailing', user_id: 'u-search', metadata: { place: 'lake' }, output_format: 'v1.1' });
    expect(memories(lake.body.results)).toEqual(['Sailing on the lake']);
  });

  it('v2 answers a bare array, or {results} for output_format v1.1', async () => {
    const bare = await gateway().call('POST', '/v2/memories/search/', { query: 'sailing', filters: { user_id: { in: ['u-search', 'u-search-other'] } } });
    expect(bare.body).toHaveLength(3);
    const wrapped = await gateway().call('POST', '/v2/memories/search/', { query: 'sailing', filters: { user_id: 'u-search-other' }, output_format: 'v1.1' });
    expect(memories(wrapped.body.results)).toEqual(['Sailing lessons']);
  });

  it('honours top_k and NOT', async () => {
    const top = await gateway().call('POST', '/v3/memories/search/', { query: 'sailing', filters: { user_id: 'u-search' }, top_k: 1 });
    expect(top.body.results).toHaveLength(1);
    const notSea = await gateway().call('POST', '/v3/memories/search/', { query: 'sailing', filters: { user_id: 'u-search', NOT: { metadata: { place: 'sea' } } } });
    expect(memories(notSea.body.results)).toEqual(['Sailing on the lake']);
  });

  it('v1 without any entity id is a 400 naming filters', async () => {
    const response = await gateway().call('POST', '/v1/memories/search/', { query: 'sailing' });
    expect(response.status).toBe(400);
    expect(response.body.field).toBe('filters');
  });

  it('rejects a threshold outside 0..1 and an operator not allowed on a field', async () => {
    expect((await gateway().call('POST', '/v3/memories/search/', { query: 'x', filters: { user_id: 'u' }, threshold: 2 })).body.field).toBe('threshold');
    const operator = await gateway().call('POST', '/v3/memories/search/', { query: 'x', filters: { user_id: { gt: 'u' } } });
    expect(operator.status).toBe(400);
    expect(operator.body.error).toMatch(/filters\.user_id\.gt: operator not allowed/);
  });

  it('refuses a filter past its bounds with a 400 naming the limit', async () => {
    let deep: unknown = { user_id: 'u' };
    for (let level = 0; level < 12; level += 1) deep = { NOT: deep };
    const tooDeep = await gateway().call('POST', '/v3/memories/search/', { query: 'x', filters: { AND: [{ user_id: 'u' }, deep] } });
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.body).toMatchObject({ field: 'filters', error: 'filters: nested deeper than 10 levels (limit maxDepth)' });
    const longList = await gateway().call('POST', '/v3/memories/', { filters: { user_id: { in: Array.from({ length: 101 }, (_, index) => `u${index}`) } } });
    expect(longList.status).toBe(400);
    expect(longList.body.field).toBe('filters.user_id.in');
  });
});
