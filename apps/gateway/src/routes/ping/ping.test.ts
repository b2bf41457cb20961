import { describe, expect, it } from 'vitest';
import { useTestGateway } from '../../testing/use-test-gateway.js';

const gateway = useTestGateway();

describe('GET /v1/ping/', () => {
  it('answers mem0’s ping shape with a non-empty user_email', async () => {
    const response = await gateway().call('GET', '/v1/ping/');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok', org_id: 'memgate', project_id: 'default', user_email: 'admin@memgate.local' });
  });

  it('accepts the key as Token, Bearer or X-API-Key', async () => {
    const { key } = gateway();
    for (const headers of <Array<Record<string, string>>>[{ authorization: `Token ${key}` }, { authorization: `Bearer ${key}` }, { authorization: '', 'x-api-key': key }]) {
      expect((await gateway().call('GET', '/v1/ping', undefined, headers)).status).toBe(200);
    }
  });

  it('answers 401 with a detail for a missing, wrong or malformed key', async () => {
    for (const headers of <Array<Record<string, string>>>[{ authorization: '' }, { authorization: 'Token not-the-key' }, { authorization: `Basic ${gateway().key}` }, { authorization: '', 'x-api-key': 'nope' }]) {
      const response = await gateway().call('GET', '/v1/ping/', undefined, headers);
      expect(response.status).toBe(401);
      expect(response.body.detail).toMatch(/API key|credentials were not provided/);
    }
  });
});
