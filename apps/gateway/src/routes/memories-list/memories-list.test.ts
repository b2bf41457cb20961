import { beforeAll, describe, expect, it } from 'vitest';
import { useTestGateway } from '../../testing/use-test-gateway.js';

const gateway = useTestGateway();

beforeAll(async () => {
  for (const [content, colour] of [['red kite', 'red'], ['blue tit', 'blue'], ['red robin', 'red']]) {
    await gateway().call('POST', '/v3/memories/add/', { messages: [{ role: 'user', content }], app_id: 'birds', metadata: { colour }, infer: false });
  }
});

describe('mem0 listing routes', () => {
  it('v3 takes page and page_size from the body when the query has none', async () => {
    const page = await gateway().call('POST', '/v3/memories/', { filters: { app_id: 'birds' }, page: 2, page_size: 2 });
    expect(page.body).toMatchObject({ count: 3, next: null });
    expect(page.body.results).toHaveLength(1);
    expect(page.body.previous).toContain('page=1');
  });

  it('v2 answers a bare array without page parameters and the envelope with them', async () => {
    const bare = await gateway().call('POST', '/v2/memories/', { filters: { app_id: 'birds' } });
    expect(bare.body).toHaveLength(3);
    const paged = await gateway().call('POST', '/v2/memories/?page_size=2', { filters: { app_id: 'birds' } });
    expect(paged.body).toMatchObject({ count: 3 });
  });

  it('v1 filters on query entity ids and JSON metadata, and pages only with both page and page_size', async () => {
    const red = await gateway().call('GET', `/v1/memories/?app_id=birds&metadata=${encodeURIComponent('{"colour":"red"}')}`);
    expect(red.body.map((memory: { memory: string }) => memory.memory).sort()).toEqual(['red kite', 'red robin']);
    const paged = await gateway().call('GET', '/v1/memories/?app_id=birds&page=1&page_size=2');
    expect(paged.body).toMatchObject({ count: 3 });
    expect(paged.body.results).toHaveLength(2);
  });

  it('rejects page 0 and page_size over 1000, naming the parameter', async () => {
    expect((await gateway().call('POST', '/v3/memories/?page=0', { filters: { app_id: 'birds' } })).body.field).toBe('page');
    expect((await gateway().call('POST', '/v3/memories/?page_size=5000', { filters: { app_id: 'birds' } })).body.field).toBe('page_size');
  });
});
