// The one schema module drizzle-kit reads and the store's drizzle client is typed with.
export { memgateSchema } from './memgate-schema.js';
export { providers, type NewProviderRow, type ProviderRow } from './providers.js';
export { apiKeys, type ApiKeyRow } from './api-keys.js';
export { auditEntries, type AuditEntryRow } from './audit-entries.js';
export { auditCheckpoints, type AuditCheckpointRow } from './audit-checkpoints.js';
export { memoryEvents, type MemoryEventRow } from './memory-events.js';
export { healthTrends, type HealthTrendRow } from './health-trends.js';
export { journalEntries, type JournalEntryRow } from './journal-entries.js';
export { journalDeliveries, type JournalDeliveryRow } from './journal-deliveries.js';
export { failoverDecisions, type FailoverAttemptRow, type FailoverDecisionRow } from './failover-decisions.js';
export { idempotencyKeys, type IdempotencyKeyRow } from './idempotency-keys.js';
export { rateLimitBuckets, type RateLimitBucketRow } from './rate-limit-buckets.js';
export { keyQuotaCounters, type KeyQuotaCounterRow } from './key-quota-counters.js';
