import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStateStore, type StateStore } from './create-state-store.js';
import { auditStoreTests, eventStoreTests, keyStoreTests } from './test-support/identity-store-tests.js';
import { historyStoreTests } from './test-support/history-store-tests.js';
import { journalStoreTests } from './test-support/journal-store-tests.js';
import { providerStoreTests } from './test-support/provider-store-tests.js';
import { quotaCounterStoreTests } from './test-support/quota-counter-store-tests.js';

// One PGlite per file: a fresh instance costs seconds.
let store: StateStore;
beforeAll(async () => {
  store = await createStateStore({ url: 'pglite://memory' });
}, 30_000);
afterAll(() => store?.close());

describe('createStateStore on PGlite', () => {
  journalStoreTests(() => store);

  it('applies the committed migrations: every control-plane table exists', async () => {
    expect(store.driver).toBe('pglite');
    const result = (await store.db.execute("select table_name from information_schema.tables where table_schema = 'memgate' order by table_name")) as unknown as {
      rows: { table_name: string }[];
    };
    expect(result.rows.map((row) => row.table_name)).toEqual([
      'api_keys',
      'audit_checkpoints',
      'audit_entries',
      'failover_decisions',
      'health_trends',
      'idempotency_keys',
      'journal_deliveries',
      'journal_entries',
      'key_quota_counters',
      'memory_events',
      'providers',
      'rate_limit_buckets',
    ]);
  });

  providerStoreTests(() => store);
  keyStoreTests(() => store);
  auditStoreTests(() => store);
  eventStoreTests(() => store);
  quotaCounterStoreTests(() => store);

  // Last: its final test closes this file's store (a second PGlite would cost seconds and 400 MB).
  historyStoreTests(() => store, {
    closedDatabase: async () => {
      await store.close();
      return store.db;
    },
  });
});
