import type { BehindTracker } from './behind-tracker.js';
import type { FailoverCallOptions } from './failover-call-options.js';
import type { RouterCall } from './router.js';
import type { MemberBacklog, WriteJournal } from './write-journal.js';

/**
 * What a journaled pool hands to its replicator, resync and reconciliation: the journal, the pool's
 * view of who is behind, and single-member calls through the member's breaker and health (no fallback).
 * Unstable: for `@memgate/failover`'s own tools and the gateway.
 */
export interface PoolReplication {
  readonly pool: string;
  readonly journal: WriteJournal;
  readonly tracker: BehindTracker;
  /** Member names in pool order. */
  readonly members: readonly string[];
  /** Members that can serve now: active, breaker not open or isolated. */
  available(): string[];
  /**
   * Runs a call on one member only (operation `replicate`).
   * @throws ProviderUnavailableError when the member is forced out, draining or its breaker is open; the member's error otherwise
   */
  executeOn<T>(member: string, call: RouterCall<T>, options?: FailoverCallOptions): Promise<T>;
  /** Reloads the backlog counts from the journal (other replicas' entries), and the per-memory view when it drifted from them; resolves to the counts. */
  refresh(): Promise<readonly MemberBacklog[]>;
}
