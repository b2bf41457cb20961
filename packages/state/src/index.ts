export { createStateStore, type CreateStateStoreOptions, type StateStore } from './create-state-store.js';
export { parseStateUrl, resolveStateUrl, type StateLocation } from './connection/parse-state-url.js';
export type { StateDrizzle } from './connection/state-database.js';
export { ChangeFeed, notifyChange, type StateChange } from './changes/change-feed.js';
export { DrizzleProviderRegistryStore } from './providers/drizzle-provider-registry-store.js';
export { DrizzleWriteJournal } from './journal/drizzle-write-journal.js';
export { DrizzleIdempotencyStore } from './journal/drizzle-idempotency-store.js';
export { DrizzleDecisionHistoryStore, type DrizzleDecisionHistoryStoreOptions } from './history/drizzle-decision-history-store.js';
export { DrizzleHealthTrendStore } from './health/drizzle-health-trend-store.js';
export { DrizzleKeyStore, keyChangeTopic, type KeyChange } from './keys/drizzle-key-store.js';
export { DrizzleAuditStore } from './audit/drizzle-audit-store.js';
export { DrizzleMemoryEventStore, type DrizzleMemoryEventStoreOptions, type StoredMemoryEvent } from './events/drizzle-memory-event-store.js';
export { DrizzleRateLimitStore, type DrizzleRateLimitStoreOptions } from './rate-limits/drizzle-rate-limit-store.js';
export { DrizzleQuotaCounterStore, type DrizzleQuotaCounterStoreOptions } from './quotas/drizzle-quota-counter-store.js';
export * as stateTables from './schema/all-tables.js';
export type {
  ApiKeyRow,
  AuditCheckpointRow,
  AuditEntryRow,
  FailoverAttemptRow,
  FailoverDecisionRow,
  HealthTrendRow,
  IdempotencyKeyRow,
  JournalDeliveryRow,
  JournalEntryRow,
  KeyQuotaCounterRow,
  MemoryEventRow,
  ProviderRow,
} from './schema/all-tables.js';
