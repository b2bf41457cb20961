import type {
  MemoryFilter,
  MemoryHistoryEvent,
  MemoryProviderV1,
  MemoryProviderV1Entity,
  MemoryProviderV1ListResult,
  MemoryProviderV1NewRecord,
  MemoryProviderV1Page,
  MemoryProviderV1Patch,
  MemoryProviderV1ProbeResult,
  MemoryProviderV1SearchQuery,
  MemoryProviderV1SearchResult,
  MemoryRecord,
  MemoryScope,
} from '@memgate/core';
import type { Disposable, HealthMonitor } from '@memgate/health';
import type { CircuitBreakerSnapshot, CircuitStateChange } from './circuit-breaker-state.js';
import type { DecisionHistoryStore } from './decision-history-store.js';
import type { FailoverCallOptions } from './failover-call-options.js';
import type { MemberAdminState } from './pool-member.js';
import type { PoolReplication } from './pool-replication.js';
import type { RoutingDecision } from './routing-decision.js';
import type { RoutingStrategy, RoutingStrategyName } from './routing-strategy.js';

/** One member's figures in {@link FailoverPoolStatistics}. */
export interface FailoverMemberStatistics {
  readonly name: string;
  readonly priority: number;
  readonly weight: number;
  readonly adminState: MemberAdminState;
  readonly inFlight: number;
  readonly breaker: CircuitBreakerSnapshot;
  /** Calls made to the member, and how they ended (caller errors and rate limits are neither). */
  readonly attempts: number;
  readonly successes: number;
  readonly failures: number;
  /** Requests this member answered. */
  readonly served: number;
  /**
   * With a request ceiling: its rate and burst, the whole tokens left now, and how many times the router
   * passed the member over at its ceiling (`at-ceiling` skips) since the pool was created.
   */
  readonly ceiling?: { readonly requestsPerSecond: number; readonly burst: number; readonly available: number; readonly skips: number };
  /** With a journal: the member's undelivered entries, and whether it passed the backlog bound (it needs a full resync). */
  readonly journalBacklog?: { readonly entries: number; readonly bytes: number; readonly needsResync: boolean };
}

/** A pool's counters since creation. */
export interface FailoverPoolStatistics {
  readonly pool: string;
  readonly strategy: string;
  readonly requests: number;
  readonly successes: number;
  readonly failures: number;
  /** Requests that needed more than one attempt. */
  readonly requestsWithFallback: number;
  /** Attempts after the first, summed. */
  readonly fallbacks: number;
  /** Requests served by a panic attempt past open breakers. */
  readonly panics: number;
  /** Retries refused by the global retry budget. */
  readonly retriesRejectedByBudget: number;
  readonly members: readonly FailoverMemberStatistics[];
}

/**
 * A failover pool: a `MemoryProviderV1` over several providers, plus runtime controls. Its operations
 * take {@link FailoverCallOptions} (the provider options plus `onDecision`).
 */
export interface FailoverPool extends MemoryProviderV1 {
  add(records: readonly MemoryProviderV1NewRecord[], options?: FailoverCallOptions): Promise<MemoryRecord[]>;
  get(id: string, options?: FailoverCallOptions): Promise<MemoryRecord | null>;
  list(filter: MemoryFilter, page: MemoryProviderV1Page, options?: FailoverCallOptions): Promise<MemoryProviderV1ListResult>;
  /** Every entity owning matching memories: from a member's own entity listing, or a scan of its listing. */
  aggregateEntities(filter: MemoryFilter, options?: FailoverCallOptions): Promise<MemoryProviderV1Entity[]>;
  search(query: MemoryProviderV1SearchQuery, options?: FailoverCallOptions): Promise<MemoryProviderV1SearchResult[]>;
  update(id: string, patch: MemoryProviderV1Patch, options?: FailoverCallOptions): Promise<MemoryRecord>;
  delete(id: string, options?: FailoverCallOptions): Promise<void>;
  deleteAll(scope: MemoryScope, options?: FailoverCallOptions): Promise<{ deleted: number }>;
  history(id: string, options?: FailoverCallOptions): Promise<MemoryHistoryEvent[]>;
  probe(options?: FailoverCallOptions): Promise<MemoryProviderV1ProbeResult>;
  /** With a journal: what the replicator, resync and reconciliation use (unstable). Else undefined. */
  readonly replication: PoolReplication | undefined;
  /** The pool's health monitor (given or its own). */
  readonly health: HealthMonitor;
  /** Where decisions are kept. */
  readonly decisions: DecisionHistoryStore;
  /** The current strategy's name (`custom` for a function). */
  readonly strategyName: string;
  /**
   * Switches the strategy for the next requests.
   * @throws ValidationError (field `strategy`) for an unknown name
   */
  setStrategy(strategy: RoutingStrategyName | RoutingStrategy): void;
  /**
   * Takes a member out of rotation now (its breaker is isolated); in-flight calls finish.
   * @throws NotFoundError for an unknown member
   */
  forceOut(member: string): void;
  /** Puts a member back in rotation with a closed breaker. @throws NotFoundError for an unknown member */
  forceIn(member: string): void;
  /** Stops new requests to a member and resolves when its in-flight calls have ended; it stays out until `forceIn`. @throws NotFoundError */
  drain(member: string): Promise<void>;
  statistics(): FailoverPoolStatistics;
  /** Every decision, as it is made. */
  onDecision(listener: (decision: RoutingDecision) => void): Disposable;
  /** Every breaker transition of every member. */
  onBreakerStateChange(listener: (member: string, change: CircuitStateChange) => void): Disposable;
}
