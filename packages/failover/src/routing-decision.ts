import type { OutcomeKind } from '@memgate/health';

/** Whether an operation reads or writes: the two paths of the router. */
export type OperationKind = 'read' | 'write';

/** The pool operations the router executes. */
export type PoolOperation = 'add' | 'get' | 'list' | 'search' | 'update' | 'delete' | 'deleteAll' | 'history' | 'probe' | 'replicate';

/** One call to one member within a request. */
export interface RoutingAttempt {
  readonly provider: string;
  /** Offset from the decision's start (ms). */
  readonly startedAtMs: number;
  readonly durationMs: number;
  /** How the outcome was classified (see `@memgate/health` `classifyOutcome`). */
  readonly outcome: OutcomeKind;
  /** The error's name and message, when it failed. */
  readonly error?: { readonly name: string; readonly message: string; readonly retryable: boolean };
  /** Whether the breaker admitted it as a half-open trial, or it was a panic attempt past open breakers. */
  readonly trial?: boolean;
  readonly panic?: boolean;
}

/**
 * A member the router did not call, and why. `at-ceiling`: the member had used its request ceiling
 * (`maxRequestsPerSecond`), so the request went on to the next member; it counts against nothing.
 */
export interface RoutingSkip {
  readonly provider: string;
  readonly reason: 'breaker-open' | 'half-open-busy' | 'isolated' | 'retry-budget' | 'attempt-limit' | 'retry-limit' | 'at-ceiling';
}

/** Everything the router decided for one request. */
export interface RoutingDecision {
  /** Unique per decision. */
  readonly id: string;
  readonly pool: string;
  readonly requestId?: string;
  readonly operation: PoolOperation;
  readonly kind: OperationKind;
  /** When the request reached the router (epoch ms). */
  readonly startedAt: number;
  readonly durationMs: number;
  readonly strategy: string;
  /** Members eligible for this request (admin state and member filter applied), by name. */
  readonly candidates: readonly string[];
  /** The strategy's ordering after the health gate. */
  readonly order: readonly string[];
  readonly attempts: readonly RoutingAttempt[];
  readonly skipped: readonly RoutingSkip[];
  /** The member that served the request, or `null` when none did. */
  readonly chosen: string | null;
  /** Attempts after the first (retries and fallbacks share this count). */
  readonly fallbacks: number;
  /** Time spent in the router itself: total minus member calls minus backoff waits (ms). */
  readonly overheadMs: number;
  /** Whether every breaker was open and the pool panicked to the least-bad member. */
  readonly panic: boolean;
  readonly outcome: 'success' | 'failure';
  /** The error the caller got, when it failed. */
  readonly error?: { readonly name: string; readonly message: string };
}
