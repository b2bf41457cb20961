export { createFailoverPool, type FailoverPoolMemberOptions, type FailoverPoolOptions, type FailoverRetryOptions } from './create-failover-pool.js';
export type { FailoverMemberStatistics, FailoverPool, FailoverPoolStatistics } from './failover-pool.js';
export type { FailoverCallOptions } from './failover-call-options.js';
export type { MemberAdminState, MemberFilter, MemberFilterContext, PoolMember } from './pool-member.js';

export { byPriorityThenName, unknownHealthScore, type RoutingCandidate, type RoutingStrategy, type RoutingStrategyName, type StrategyContext } from './routing-strategy.js';
export { priorityStrategy } from './priority-strategy.js';
export { healthStrategy } from './health-strategy.js';
export { roundRobinStrategy } from './round-robin-strategy.js';
export { performanceStrategy } from './performance-strategy.js';
export { createHybridStrategy, hybridStrategy, type HybridWeights } from './hybrid-strategy.js';
export { resolveStrategy, routingStrategyNames } from './resolve-strategy.js';

export { createCircuitBreaker, type BreakerPermit, type CircuitBreaker, type CircuitBreakerOptions } from './circuit-breaker.js';
export type { CircuitBreakerSnapshot, CircuitState, CircuitStateChange, CircuitTransitionReason } from './circuit-breaker-state.js';
export { createRetryBudget, type RetryBudget, type RetryBudgetOptions } from './retry-budget.js';
export { createRouter, type PanicMode, type Router, type RouterCall, type RouterSettings } from './router.js';
export type { OperationKind, PoolOperation, RoutingAttempt, RoutingDecision, RoutingSkip } from './routing-decision.js';
export { createInMemoryDecisionHistoryStore, type DecisionHistoryQuery, type DecisionHistoryStore } from './decision-history-store.js';
