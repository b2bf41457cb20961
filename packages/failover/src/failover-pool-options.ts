import { ValidationError, type MemoryProviderV1 } from '@memgate/core';
import type { HealthMonitor } from '@memgate/health';
import type { BehindTracker } from './behind-tracker.js';
import type { CircuitBreakerOptions } from './circuit-breaker.js';
import type { DecisionHistoryStore } from './decision-history-store.js';
import type { HybridWeights } from './hybrid-strategy.js';
import type { IdempotencyStore } from './idempotency-store.js';
import type { BacklogLimit } from './journaled-writes.js';
import type { MemberFilter } from './pool-member.js';
import { resolveStrategy } from './resolve-strategy.js';
import type { RetryBudgetOptions } from './retry-budget.js';
import type { PanicMode } from './router.js';
import type { RoutingStrategy, RoutingStrategyName } from './routing-strategy.js';
import type { SharedCeilingsOptions } from './shared-ceiling-store.js';
import type { WriteJournal } from './write-journal.js';

/** A provider and its place in the pool. */
export interface FailoverPoolMemberOptions {
  readonly provider: MemoryProviderV1;
  /** Lower is preferred by the priority and hybrid strategies. Default: its index in `providers`. */
  readonly priority?: number;
  /** Share under weighted round-robin, ≥ 1. Default 1. */
  readonly weight?: number;
  /** Retries of this member per request after a retryable failure (integer ≥ 0), after the other members were tried; within `retry.maxAttempts` and the retry budget. Default: no limit of its own. */
  readonly retryAttempts?: number;
  /**
   * The most calls a second the router makes to this member (a token bucket refilled at this rate), so
   * a pool never pushes a shared backend past what it was given. A member at its ceiling is passed over
   * like a busy host: the request goes to the next member in order, and nothing counts against the
   * member's breaker, health or the retry budget. A positive number; fractions allowed (0.5: one call in
   * two seconds). Default: no ceiling.
   */
  readonly maxRequestsPerSecond?: number;
  /** Calls the member may take at once above its rate (the bucket's size; a new pool starts full). Integer ≥ 1. Default: one second's worth, `ceil(maxRequestsPerSecond)`. Needs `maxRequestsPerSecond`. */
  readonly burst?: number;
}

/** Retry settings of the pool's router (the only retry owner). */
export interface FailoverRetryOptions {
  /** Attempts per request, first try, retries and fallbacks together. Default 3. */
  readonly maxAttempts?: number;
  /** Each attempt's timeout (ms), always inside the request's deadline. Default 2000. */
  readonly attemptTimeoutMs?: number;
  /** Deadline of a request that brings none (ms). Default 10000. */
  readonly requestTimeoutMs?: number;
  /** Backoff before a second pass over the members (ms), doubling, full jitter. Default 25 (Envoy). */
  readonly backoffBaseMs?: number;
  /** Backoff cap (ms). Default 250. */
  readonly backoffMaxMs?: number;
  /** The global retry budget. Default 20 % of requests in flight, at least 3. */
  readonly budget?: RetryBudgetOptions;
  /**
   * Hedged reads (Envoy's `hedge_on_per_try_timeout`, at a delay instead of the timeout): a read whose
   * attempt has not answered after this many ms races a second attempt on the next member whose breaker
   * is closed; the first success wins. Default: adaptive, 4 × the member's p99 over the last minute,
   * within 100–1000 ms (1000 before it has one). `false`: never. A hedge draws on the retry budget.
   */
  readonly hedgeReadsAfterMs?: number | false;
}

/** Options of {@link createFailoverPool}. */
export interface FailoverPoolOptions {
  /** The pool's name (its provider name). */
  readonly name: string;
  readonly providers: readonly FailoverPoolMemberOptions[];
  /** Default `priority`. */
  readonly strategy?: RoutingStrategyName | RoutingStrategy;
  /** Weights of the hybrid strategy. Default 0.4 / 0.4 / 0.2. */
  readonly hybridWeights?: HybridWeights;
  /** Breaker settings applied to every member (see README for defaults and why). */
  readonly breaker?: Omit<CircuitBreakerOptions, 'initialState'> & {
    /** Cooldown when the member is the pool's only active one (ms). Default 5000: a blip must not lock out the only option for minutes. */
    readonly soloCooldownMs?: number;
    /** Saved breaker states by member name. */
    readonly initialStates?: Readonly<Record<string, NonNullable<CircuitBreakerOptions['initialState']>>>;
  };
  readonly retry?: FailoverRetryOptions;
  /** The monitor fed by every attempt and read by strategies. Default: a monitor of its own. */
  readonly health?: HealthMonitor;
  /** When every breaker is open. Default `fail-fast` (503 + Retry-After). */
  readonly panic?: PanicMode;
  /**
   * When every breaker is open, for reads. Default `least-bad`: a read is tried once on the member most
   * likely to answer (best health score, then soonest out of cooldown), with the journal's entries it
   * misses merged in, rather than refused; only if that fails is it a 503 with Retry-After.
   */
  readonly readPanic?: PanicMode;
  /** Where decisions go. Default: in memory, the last 1000. */
  readonly decisions?: DecisionHistoryStore;
  /** Per-request member filter (the journal's "behind" check plugs in here). */
  readonly memberFilter?: MemberFilter;
  /** Probes every member on the monitor at this interval (ms; faster while failing, slower while idle). Default: no probes (passive health and breaker trials only). */
  readonly probeIntervalMs?: number;
  /** Whether `close()` closes the members too. Default true. */
  readonly closeMembers?: boolean;
  /**
   * The write journal. With one, every write is journaled before it is acknowledged, reads avoid members
   * that are behind (read-your-writes), and `createReplicator` delivers entries to the other members.
   * Default: none (writes go to one member, as without a pool).
   */
  readonly journal?: WriteJournal;
  /**
   * Who is behind on what, with a journal. Pass one tracker to every pool a process builds over the same
   * journal in turn (a pool rebuilt on a config change), so the per-memory view outlives each pool. Default: a new one.
   */
  readonly tracker?: BehindTracker;
  /**
   * This process's lease owner id in the journal. The write path holds the entries it applies itself under
   * `writePathLeaseOwner(leaseOwner)`; a process restarted with the same id releases what its predecessor
   * held with `journal.releaseOwner` (the gateway keeps the id per data directory). Default: a random UUID.
   */
  readonly leaseOwner?: string;
  /** Members that must hold a journaled write before it is acknowledged (1 to the member count). Default 1. */
  readonly writeQuorum?: number;
  /** Bound of each member's backlog, past which journaled writes are refused (503 + Retry-After). */
  readonly backlogLimit?: BacklogLimit;
  /** Told once per episode that a member passed the backlog bound and needs a full resync. */
  readonly onResyncNeeded?: (member: string, backlog: { readonly entries: number; readonly bytes: number }) => void;
  /** Told when a member told of by `onResyncNeeded` is back under the bound (checked at each write). */
  readonly onResyncCleared?: (member: string) => void;
  /** Where idempotency keys of writes are kept. Default: in memory (this process only). */
  readonly idempotency?: IdempotencyStore;
  /** How long an idempotency key is kept (ms). Default 86 400 000 (24 h). */
  readonly idempotencyTtlMs?: number;
  /**
   * Shares the members' request ceilings with the other replicas of this pool through `store`, so a
   * ceiling holds for all of them together rather than for each: every member with a ceiling leases its
   * tokens from a bucket they share, in the background every `syncIntervalMs`, and the router still
   * checks its ceilings in process. See `createCeilingSyncer`. Default: each pool limits on its own.
   */
  readonly sharedCeilings?: SharedCeilingsOptions;
  /** Told of errors that cannot be thrown (history store, listeners). Default `console.warn`. */
  readonly onError?: (error: unknown) => void;
}

/**
 * Checks a pool's options before anything is built.
 * @throws ValidationError naming the field: no name, no members, a duplicate or malformed member (ceiling included), a bad retry, probe, panic, quorum or backlog option
 */
export function validateFailoverPoolOptions(options: FailoverPoolOptions): void {
  if (typeof options?.name !== 'string' || options.name.length === 0) throw new ValidationError({ message: 'a failover pool needs a name', field: 'name' });
  if (!Array.isArray(options.providers) || options.providers.length === 0) throw new ValidationError({ message: 'a failover pool needs at least one provider', field: 'providers' });
  const seen = new Set<string>();
  options.providers.forEach((member, index) => {
    if (!member?.provider || member.provider.specificationVersion !== 'v1') throw new ValidationError({ message: 'expected a MemoryProviderV1', field: `providers[${index}].provider` });
    if (seen.has(member.provider.name)) throw new ValidationError({ message: `duplicate provider name "${member.provider.name}"`, field: `providers[${index}].provider.name` });
    seen.add(member.provider.name);
    if (member.priority !== undefined && !Number.isFinite(member.priority)) throw new ValidationError({ message: 'priority must be a finite number', field: `providers[${index}].priority` });
    if (member.weight !== undefined && !(Number.isFinite(member.weight) && member.weight >= 1)) throw new ValidationError({ message: 'weight must be a number ≥ 1', field: `providers[${index}].weight` });
    if (member.retryAttempts !== undefined && !(Number.isInteger(member.retryAttempts) && member.retryAttempts >= 0)) throw new ValidationError({ message: 'retryAttempts must be an integer ≥ 0', field: `providers[${index}].retryAttempts` });
    if (member.maxRequestsPerSecond !== undefined && !(Number.isFinite(member.maxRequestsPerSecond) && member.maxRequestsPerSecond > 0)) throw new ValidationError({ message: 'maxRequestsPerSecond must be a positive number', field: `providers[${index}].maxRequestsPerSecond` });
    if (member.burst !== undefined && member.maxRequestsPerSecond === undefined) throw new ValidationError({ message: 'burst needs maxRequestsPerSecond', field: `providers[${index}].burst` });
    if (member.burst !== undefined && !(Number.isInteger(member.burst) && member.burst >= 1)) throw new ValidationError({ message: 'burst must be an integer ≥ 1', field: `providers[${index}].burst` });
  });
  const attempts = options.retry?.maxAttempts;
  if (attempts !== undefined && !(Number.isInteger(attempts) && attempts >= 1)) throw new ValidationError({ message: 'maxAttempts must be an integer ≥ 1', field: 'retry.maxAttempts' });
  const hedge = options.retry?.hedgeReadsAfterMs;
  if (hedge !== undefined && hedge !== false && !(Number.isFinite(hedge) && hedge > 0)) throw new ValidationError({ message: 'hedgeReadsAfterMs must be a positive number of milliseconds, or false', field: 'retry.hedgeReadsAfterMs' });
  if (options.probeIntervalMs !== undefined && !(Number.isFinite(options.probeIntervalMs) && options.probeIntervalMs > 0)) throw new ValidationError({ message: 'probeIntervalMs must be a positive number of milliseconds', field: 'probeIntervalMs' });
  for (const field of ['panic', 'readPanic'] as const) {
    const mode = options[field];
    if (mode !== undefined && mode !== 'fail-fast' && mode !== 'least-bad') throw new ValidationError({ message: `${field} must be "fail-fast" or "least-bad"`, field });
  }
  resolveStrategy(options.strategy ?? 'priority');
  const shared = options.sharedCeilings;
  if (shared !== undefined && typeof shared.store?.take !== 'function') throw new ValidationError({ message: 'sharedCeilings.store must have a take function', field: 'sharedCeilings.store' });
  for (const key of ['syncIntervalMs', 'timeoutMs'] as const) {
    const value = shared?.[key];
    if (value !== undefined && !(Number.isFinite(value) && value > 0)) throw new ValidationError({ message: `sharedCeilings.${key} must be a positive number of milliseconds`, field: `sharedCeilings.${key}` });
  }
  const quorum = options.writeQuorum;
  if (quorum !== undefined && !(Number.isInteger(quorum) && quorum >= 1 && quorum <= options.providers.length)) throw new ValidationError({ message: 'writeQuorum must be an integer from 1 to the number of providers', field: 'writeQuorum' });
  if (quorum !== undefined && quorum > 1 && options.journal === undefined) throw new ValidationError({ message: 'writeQuorum above 1 needs a journal', field: 'writeQuorum' });
  for (const key of ['entries', 'bytes', 'retryAfterMs'] as const) {
    const value = options.backlogLimit?.[key];
    if (value !== undefined && !(Number.isFinite(value) && value > 0)) throw new ValidationError({ message: `backlogLimit.${key} must be a positive number`, field: `backlogLimit.${key}` });
  }
}
