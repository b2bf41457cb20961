import { createInMemoryMemoryProvider, memoryProviderTestSuite } from '@memgate/testkit';
import { it } from 'vitest';
import { createFailoverPool } from './create-failover-pool.js';
import { createInMemoryWriteJournal } from './in-memory-write-journal.js';

// With the journal on, the pool is still a provider like any other (reads follow the writes: the backup is behind).
memoryProviderTestSuite(it, () =>
  createFailoverPool({
    name: 'pool',
    providers: [{ provider: createInMemoryMemoryProvider({ name: 'primary' }) }, { provider: createInMemoryMemoryProvider({ name: 'backup' }) }],
    journal: createInMemoryWriteJournal(),
    onError: () => {},
  }),
);
