import { createInMemoryMemoryProvider, memoryProviderTestSuite } from '@memgate/testkit';
import { it } from 'vitest';
import { createFailoverPool } from './create-failover-pool.js';

// The pool is a provider, so it must pass the same suite as every provider.
memoryProviderTestSuite(it, () =>
  createFailoverPool({
    name: 'pool',
    providers: [{ provider: createInMemoryMemoryProvider({ name: 'primary' }) }, { provider: createInMemoryMemoryProvider({ name: 'backup' }) }],
    onError: () => {},
  }),
);
