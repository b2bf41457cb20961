import { describe, expect, it } from 'vitest';
import { useTestGateway } from '../../testing/use-test-gateway.js';

const gateway = useTestGateway();

describe('mem0 routes memgate does not serve', () => {
  it.each([
    ['POST', '/v1/exports/'],
    ['POST', '/v1/exports/get/'],
    ['POST', '/v1/feedback/'],
    ['POST', '/v1/summary/'],
    ['GET', '/v1/events/'],
    ['GET', '/v1/stats/'],
    ['GET', '/v1/entities/filters/'],
    ['GET', '/v2/entities/user/alice/'],
    ['GET', '/api/v1/orgs/organizations/o/projects/p/'],
    ['GET', '/api/v1/webhooks/projects/p/'],
    ['POST', '/v2/profiles/jobs/'],
  ])('%s %s answers 501 naming the route', async (method, path) => {
    const response = await gateway().call(method, path, method === 'POST' ? {} : undefined);
    expect(response.status).toBe(501);
    expect(response.body.error).toContain(path.replace(/\/$/, ''));
  });

  it('needs a key like every other route', async () => {
    expect((await gateway().call('POST', '/v1/exports/', {}, { authorization: '' })).status).toBe(401);
  });

  it('answers 404 in JSON for paths mem0 does not have either', async () => {
    const response = await gateway().call('GET', '/v9/nothing');
    expect(response).toMatchObject({ status: 404, body: { error: 'Not found: GET /v9/nothing' } });
  });
});
