export { memoryProviderTestSuite } from './conformance/memory-provider-test-suite.js';
export type { MemoryProviderFactory, MemoryProviderTestFunction, MemoryProviderTestSuiteOptions } from './conformance/memory-provider-test-suite-options.js';
export { crudTests } from './conformance/crud-tests.js';
export { historyTests } from './conformance/history-tests.js';
export { searchTests } from './conformance/search-tests.js';
export { filterTests } from './conformance/filter-tests.js';
export { scopingTests } from './conformance/scoping-tests.js';
export { paginationTests } from './conformance/pagination-tests.js';
export { metadataTests } from './conformance/metadata-tests.js';
export { concurrencyTests } from './conformance/concurrency-tests.js';
export { abortTests } from './conformance/abort-tests.js';
export { badInputTests } from './conformance/bad-input-tests.js';

export { createInMemoryMemoryProvider, type InMemoryProviderSettings } from './in-memory/create-in-memory-memory-provider.js';
export { inMemoryProviderPlugin, inMemoryProviderSettingsSchema } from './in-memory/in-memory-provider-plugin.js';

export { createTestDatabase, type CreateTestDatabaseOptions, type TestDatabase } from './postgres/create-test-database.js';
export { postgresAnswers } from './postgres/postgres-answers.js';

export { createFaultProxy, type FaultProxy, type FaultProxyOptions } from './faults/create-fault-proxy.js';
export type { FaultDirection } from './faults/fault-proxy-toxics.js';
export { startPostgresCluster, type PostgresCluster, type PostgresClusterOptions } from './postgres-cluster/start-postgres-cluster.js';

export type { History, HistoryOperation } from './history/history-operation.js';
export { createHistoryRecorder, type HistoryRecorder, type PendingOperation } from './history/create-history-recorder.js';
export { checkHistory, type CheckHistoryOptions, type HistoryCheckResult, type WriteOutcome, type WriteVerdict } from './history/check-history.js';
