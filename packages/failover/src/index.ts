export { createFailoverPool, type FailoverPoolMemberOptions, type FailoverPoolOptions, type FailoverRetryOptions } from './create-failover-pool.js';
export type { FailoverMemberStatistics, FailoverPool, FailoverPoolStatistics } from './failover-pool.js';
export type { FailoverCallOptions } from './failover-call-options.js';
export type { MemberAdminState, MemberCeiling, MemberFilter, MemberFilterContext, PoolMember } from './pool-member.js';
export type { TokenBucket } from './token-bucket.js';
export type { LeasedTokenBucket } from './leased-token-bucket.js';
export type { SharedCeilingRule, SharedCeilingStore, SharedCeilingsOptions, SharedCeilingTake } from './shared-ceiling-store.js';

export { byPriorityThenName, unknownHealthScore, type RoutingCandidate, type RoutingStrategy, type RoutingStrategyName, type StrategyContext } from './routing-strategy.js';
export { priorityStrategy } from './priority-strategy.js';
export { healthStrategy } from './health-strategy.js';
export { roundRobinStrategy } from './round-robin-strategy.js';
export { createPerformanceStrategy, performanceStrategy, type PerformanceStrategyOptions } from './performance-strategy.js';
export { createHybridStrategy, hybridStrategy, type HybridWeights } from './hybrid-strategy.js';
export { resolveStrategy, routingStrategyNames } from './resolve-strategy.js';

export { createCircuitBreaker, type BreakerPermit, type CircuitBreaker, type CircuitBreakerOptions } from './circuit-breaker.js';
export type { CircuitBreakerSnapshot, CircuitState, CircuitStateChange, CircuitTransitionReason } from './circuit-breaker-state.js';
export { createRetryBudget, type RetryBudget, type RetryBudgetOptions } from './retry-budget.js';
export { createRouter, type PanicMode, type Router, type RouterCall, type RouterSettings } from './router.js';
export type { OperationKind, PoolOperation, RoutingAttempt, RoutingDecision, RoutingSkip } from './routing-decision.js';
export { createInMemoryDecisionHistoryStore, type DecisionHistoryQuery, type DecisionHistoryStore } from './decision-history-store.js';

export { journalPayloadBytes, writePathLeaseOwner, type JournalClaimOptions, type JournalEntry, type JournalEntryInput, type JournalFailure, type JournalLease, type JournalOperation, type MemberBacklog, type PendingDelivery, type WriteJournal } from './write-journal.js';
export { createInMemoryWriteJournal, type InMemoryWriteJournalOptions } from './in-memory-write-journal.js';
export { createInMemoryIdempotencyStore, type IdempotencyRecord, type IdempotencyStore, type InMemoryIdempotencyStoreOptions } from './idempotency-store.js';
export { admitMembers, createBehindTracker, type BehindTracker } from './behind-tracker.js';
export type { BacklogLimit } from './journaled-writes.js';
export type { PoolReplication } from './pool-replication.js';
export { applyJournalEntries, applyJournalEntry } from './apply-journal-entry.js';
export { createReplicator, type Replicator, type ReplicatorEvent, type ReplicatorOptions, type ReplicatorStatistics } from './replicator.js';
export { resyncMember, type ResyncOptions, type ResyncProgress, type ResyncReport } from './resync-member.js';
export { reconcilePool, type ReconcileOptions, type ReconcileReport, type ReconcileRepair } from './reconcile-pool.js';
export { memoryContentHash } from './memory-content-hash.js';
export { scheduleReconciliation, type ScheduleReconciliationOptions } from './schedule-reconciliation.js';
export { createPendingWritesView, type PendingWritesView, type PendingWritesViewOptions } from './pending-writes-view.js';
export { createReconfigurableFailoverPool, type OperatorState, type ReconfigurableFailoverPool, type ReconfigurableFailoverPoolOptions } from './reconfigurable-failover-pool.js';
