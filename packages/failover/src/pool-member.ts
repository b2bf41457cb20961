import type { MemoryProviderV1 } from '@memgate/core';
import type { CircuitBreaker } from './circuit-breaker.js';
import type { LeasedTokenBucket } from './leased-token-bucket.js';
import type { TokenBucket } from './token-bucket.js';

/** How an operator has set a member: `active`, `forced-out` (no traffic) or `draining` (no new traffic; in-flight calls finish). */
export type MemberAdminState = 'active' | 'forced-out' | 'draining';

/** A member's runtime state inside a pool. */
export interface PoolMember {
  readonly name: string;
  readonly provider: MemoryProviderV1;
  readonly priority: number;
  readonly weight: number;
  /**
   * Retries of this member one request may make after a retryable failure, so at most 1 + this many
   * attempts on it per request (0: once, never retried). The router tries the other members first, so a
   * retry of this one comes only on a later pass, after a backoff. `undefined`: no limit of its own; the
   * request's `maxAttempts` and the pool's retry budget bound it either way.
   */
  readonly retryAttempts?: number;
  readonly breaker: CircuitBreaker;
  /** The member's request ceiling, when it has one (see `FailoverPoolMemberOptions.maxRequestsPerSecond`). */
  readonly ceiling?: MemberCeiling;
  adminState: MemberAdminState;
  /** Calls to this member in flight now. */
  inFlight: number;
  /** Counters since the pool was created. */
  readonly counters: { attempts: number; successes: number; failures: number; served: number };
  /** Wakes `drain()` waiters when `inFlight` reaches 0. */
  readonly idleWaiters: (() => void)[];
}

/** A member's request ceiling at runtime: one token per call the router makes to it. */
export interface MemberCeiling {
  readonly requestsPerSecond: number;
  readonly burst: number;
  readonly bucket: TokenBucket;
  /** With shared ceilings (`FailoverPoolOptions.sharedCeilings`): the same bucket, as the ceiling syncer supplies it. */
  readonly lease?: LeasedTokenBucket;
  /** Times the router passed the member over because its bucket was empty, since the pool was created. */
  skips: number;
}

/** Context of the member filter hook. */
export interface MemberFilterContext {
  readonly kind: 'read' | 'write';
  readonly operation: string;
}

/**
 * Decides per request whether a member may serve it, before the strategy orders the rest. The write
 * journal uses it to keep reads away from members that are "behind". Must be fast and synchronous.
 */
export type MemberFilter = (member: { readonly name: string; readonly provider: MemoryProviderV1 }, context: MemberFilterContext) => boolean;
