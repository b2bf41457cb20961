import { ProviderRegistry } from '@memgate/registry';
import { inMemoryProviderPlugin } from '@memgate/testkit';
import { describe, expect, it } from 'vitest';
import { startTestGateway } from '../testing/start-test-gateway.js';

describe('the /providers management API in the app', () => {
  it('is mounted by createApp behind the API key when a registry is given', async () => {
    const registry = new ProviderRegistry({ plugins: [inMemoryProviderPlugin], env: {} });
    const gateway = await startTestGateway(inMemoryProviderPlugin.create({}, { name: 'data' }), { registry });
    try {
      expect((await gateway.call('GET', '/providers', undefined, { authorization: '' })).status).toBe(401);
      expect((await gateway.call('POST', '/providers/register', { name: 'alpha', provider_type: 'memory', connection_string: 'memory://alpha' })).status).toBe(201);
      expect((await gateway.call('GET', '/providers')).body.providers.map((provider: { name: string }) => provider.name)).toEqual(['alpha']);
      const document = (await gateway.call('GET', '/openapi.json')).body as { paths: Record<string, unknown> };
      expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/providers', '/providers/register', '/providers/{name}']));
    } finally {
      await gateway.close();
      await registry.close();
    }
  });
});
