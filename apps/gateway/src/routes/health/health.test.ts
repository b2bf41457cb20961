import { ProviderUnavailableError } from '@memgate/core';
import { createInMemoryMemoryProvider } from '@memgate/testkit';
import { describe, expect, it } from 'vitest';
import { useTestGateway } from '../../testing/use-test-gateway.js';

const healthy = useTestGateway();
const unreachable = useTestGateway(() => ({
  ...createInMemoryMemoryProvider({ name: 'down' }),
  probe: async () => {
    throw new ProviderUnavailableError({ message: 'connection refused', providerId: 'down' });
  },
}));

describe('/healthz and /readyz', () => {
  it('answer without a key', async () => {
    expect((await healthy().call('GET', '/healthz', undefined, { authorization: '' })).body).toEqual({ status: 'ok' });
    const ready = await healthy().call('GET', '/readyz', undefined, { authorization: '' });
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready' });
  });

  it('readyz answers 503 with the status only (no provider name, no error text) when its probe fails, while healthz stays 200', async () => {
    const ready = await unreachable().call('GET', '/readyz', undefined, { authorization: '' });
    expect(ready.status).toBe(503);
    expect(ready.body).toEqual({ status: 'not ready' });
    expect(ready.headers.get('retry-after')).toBe('5');
    expect((await unreachable().call('GET', '/healthz')).status).toBe(200);
  });
});
