import type { MemoryProviderV1 } from '@memgate/core';
import { createInMemoryMemoryProvider } from '@memgate/testkit';
import { afterAll, beforeAll } from 'vitest';
import type { CreateAppOptions } from '../app/create-app.js';
import { startTestGateway, type TestGateway } from './start-test-gateway.js';

/**
 * Starts a gateway over the in-memory reference provider (or `provider`) before the file's tests
 * and closes it after; returns a getter, since the gateway exists only once `beforeAll` ran.
 */
export function useTestGateway(provider: () => MemoryProviderV1 = () => createInMemoryMemoryProvider(), options: Partial<CreateAppOptions> = {}): () => TestGateway {
  let gateway: TestGateway | undefined;
  beforeAll(async () => {
    gateway = await startTestGateway(provider(), options);
  });
  afterAll(async () => gateway?.close());
  return () => gateway!;
}
