import type { MemoryProviderV1 } from '@memgate/core';
import { createApp, type CreateAppOptions } from '../app/create-app.js';
import { hashApiKey } from '@memgate/security';
import { createGatewaySecurity } from '../security/gateway-security.js';
import { startServer } from '../server/start-server.js';

/** The admin key of test gateways. */
export const testAdminKey = 'test-admin-key-0123456789abcdefghijklmnop';

/** A gateway listening on a free loopback port, for tests. */
export interface TestGateway {
  readonly url: string;
  readonly key: string;
  /** Sends a request with the admin key (`Authorization: Token`) unless `headers` overrides it; parses JSON answers. */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

/** Starts `createApp` over the provider on 127.0.0.1:0 with {@link testAdminKey} as the bootstrap key (in-memory keys and audit unless `options.security`). */
export async function startTestGateway(memory: MemoryProviderV1, options: Partial<CreateAppOptions> = {}): Promise<TestGateway> {
  const app = createApp({ memory, security: createGatewaySecurity({ adminKeyHash: hashApiKey(testAdminKey) }), ...options });
  const server = await startServer(app, { port: 0 });
  return {
    url: server.url,
    key: testAdminKey,
    async call(method, path, body, headers = {}) {
      const response = await fetch(`${server.url}${path}`, {
        method,
        headers: { authorization: `Token ${testAdminKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, body: parsed, headers: response.headers };
    },
    close: () => server.close(),
  };
}
