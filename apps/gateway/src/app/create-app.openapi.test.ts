import { describe, expect, it } from 'vitest';
import { useTestGateway } from '../testing/use-test-gateway.js';

const gateway = useTestGateway();

describe('the app around the routes', () => {
  it('serves an OpenAPI 3.1 document of every data-plane route without a key', async () => {
    const response = await gateway().call('GET', '/openapi.json', undefined, { authorization: '' });
    expect(response.status).toBe(200);
    expect(response.body.openapi).toBe('3.1.0');
    const paths = Object.keys(response.body.paths);
    for (const path of ['/v1/ping', '/v3/memories/add', '/v3/memories/search', '/v3/memories', '/v1/memories/{memory_id}', '/v1/memories/{memory_id}/history', '/v1/event/{event_id}', '/v1/entities', '/v2/entities/{entity_type}/{entity_id}', '/v1/batch', '/v1/memories', '/v1/memories/search', '/v2/memories/search', '/v2/memories', '/healthz', '/readyz']) {
      expect(paths).toContain(path);
    }
    expect(response.body.components.schemas).toHaveProperty('Memory');
    expect(response.body.components.securitySchemes).toHaveProperty('Token');
  });

  it('serves the docs page without a key', async () => {
    const response = await gateway().call('GET', '/docs', undefined, { authorization: '' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(String(response.body)).toContain('/openapi.json');
  });

  it('sets x-request-id on every response, echoing a caller’s id', async () => {
    const generated = await gateway().call('GET', '/healthz');
    expect(generated.headers.get('x-request-id')).toMatch(/.{8,}/);
    const echoed = await gateway().call('GET', '/v1/ping/', undefined, { 'x-request-id': 'trace-123' });
    expect(echoed.headers.get('x-request-id')).toBe('trace-123');
  });

  it('applies a configured body limit', async () => {
    const small = useSmall();
    const response = await small().call('POST', '/v3/memories/add/', { messages: 'x'.repeat(200), user_id: 'u' });
    expect(response.status).toBe(413);
  });
});

// A second app in the same process with its own limit: nothing is shared between apps.
const useSmall = (() => {
  const small = useTestGateway(undefined, { maxBodyBytes: 100 });
  return () => small;
})();
