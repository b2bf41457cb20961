import { randomUUID } from 'node:crypto';
import { generateMemoryId, MemoryError, NotFoundError, ProviderUnavailableError, ValidationError, type MemoryProviderV1, type MemoryProviderV1Capabilities, type MemoryProviderV1NewRecord, type MemoryRecord } from '@memgate/core';
import { createHealthMonitor, type HealthMonitor } from '@memgate/health';
import { createCircuitBreaker, type CircuitBreakerOptions } from './circuit-breaker.js';
import type { CircuitStateChange } from './circuit-breaker-state.js';
import { idempotentMemoryId } from './idempotent-memory-id.js';
import { createInMemoryDecisionHistoryStore, type DecisionHistoryStore } from './decision-history-store.js';
import type { FailoverCallOptions } from './failover-call-options.js';
import type { FailoverPool } from './failover-pool.js';
import type { HybridWeights } from './hybrid-strategy.js';
import type { MemberFilter, PoolMember } from './pool-member.js';
import { admitMembers, createBehindTracker, type BehindTracker } from './behind-tracker.js';
import { latestWritesUnavailable } from './latest-writes-unavailable.js';
import { createPendingWritesView } from './pending-writes-view.js';
import { writePathLeaseOwner } from './write-journal.js';
import { createInMemoryIdempotencyStore, type IdempotencyStore } from './idempotency-store.js';
import { createJournaledWrites, type BacklogLimit } from './journaled-writes.js';
import type { PoolReplication } from './pool-replication.js';
import { resolveStrategy } from './resolve-strategy.js';
import { createIdempotentRunner } from './with-idempotency.js';
import type { WriteJournal } from './write-journal.js';
import { createRetryBudget, type RetryBudgetOptions } from './retry-budget.js';
import { createRouter, type PanicMode, type RouterCall } from './router.js';
import type { OperationKind, PoolOperation, RoutingDecision } from './routing-decision.js';
import type { RoutingStrategy, RoutingStrategyName } from './routing-strategy.js';

/** A provider and its place in the pool. */
export interface FailoverPoolMemberOptions {
  readonly provider: MemoryProviderV1;
  /** Lower is preferred by the priority and hybrid strategies. Default: its index in `providers`. */
  readonly priority?: number;
  /** Share under weighted round-robin, ≥ 1. Default 1. */
  readonly weight?: number;
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
  /** Told of errors that cannot be thrown (history store, listeners). Default `console.warn`. */
  readonly onError?: (error: unknown) => void;
}

const capabilityNames: readonly (keyof MemoryProviderV1Capabilities)[] = ['vectorSearch', 'fullTextSearch', 'history', 'metadataFilters', 'callerIds', 'batchWrites', 'inference'];

/**
 * Creates a failover pool: a `MemoryProviderV1` whose every operation runs through the router over its
 * members. Capabilities are the intersection of the members' (any member may serve any call). New
 * records get their canonical id here, before routing, so a retried add writes the same id everywhere.
 * @throws ValidationError naming the field for an empty or duplicate member list or a bad option
 */
export function createFailoverPool(options: FailoverPoolOptions): FailoverPool {
  validate(options);
  const reportError = options.onError ?? ((error: unknown) => console.warn('[@memgate/failover]', error));
  const health = options.health ?? createHealthMonitor({ onError: reportError });
  const ownsHealth = options.health === undefined;
  const decisions = options.decisions ?? createInMemoryDecisionHistoryStore();
  const decisionListeners = new Set<(decision: RoutingDecision) => void>();
  const breakerListeners = new Set<(member: string, change: CircuitStateChange) => void>();
  const { soloCooldownMs = 5000, initialStates = {}, ...breakerOptions } = options.breaker ?? {};
  const baseCooldown = breakerOptions.cooldownMs ?? 300_000;
  let strategy = { name: typeof options.strategy === 'function' ? 'custom' : (options.strategy ?? 'priority'), order: resolveStrategy(options.strategy ?? 'priority', options.hybridWeights) };
  const totals = { requests: 0, successes: 0, failures: 0, requestsWithFallback: 0, fallbacks: 0, panics: 0 };

  const members: PoolMember[] = options.providers.map((member, index) => {
    const name = member.provider.name;
    const breaker = createCircuitBreaker({
      ...breakerOptions,
      // A lone active member gets a short cooldown: cooling down the only option turns a blip into an outage.
      cooldownMs: () => (members.filter((other) => other.adminState === 'active').length <= 1 ? soloCooldownMs : typeof baseCooldown === 'function' ? baseCooldown() : baseCooldown),
      ...(initialStates[name] ? { initialState: initialStates[name] } : {}),
    });
    breaker.onStateChange((change) => {
      for (const listener of breakerListeners) safely(() => listener(name, change), reportError);
    });
    return { name, provider: member.provider, priority: member.priority ?? index, weight: member.weight ?? 1, breaker, adminState: 'active', inFlight: 0, counters: { attempts: 0, successes: 0, failures: 0, served: 0 }, idleWaiters: [] };
  });
  const budget = createRetryBudget(options.retry?.budget);
  const probes = options.probeIntervalMs === undefined ? [] : members.map((member) => health.addProbeTarget(member.name, (signal) => member.provider.probe({ signal }), options.probeIntervalMs));
  // Whoever probes the members on this monitor (the pool itself, or the gateway's probe targets), their
  // results are the breakers' evidence that an open member is back (auto-healing before the cooldown ends).
  const probeEvidence = health.onProbeResult((result) => members.find((member) => member.name === result.provider)?.breaker.recordProbe(result.success));

  const record = (decision: RoutingDecision): void => {
    totals.requests += 1;
    if (decision.outcome === 'success') totals.successes += 1;
    else totals.failures += 1;
    if (decision.fallbacks > 0) totals.requestsWithFallback += 1;
    totals.fallbacks += decision.fallbacks;
    if (decision.panic) totals.panics += 1;
    safely(() => {
      const appended = decisions.append(decision);
      if (appended) appended.catch(reportError);
    }, reportError);
    for (const listener of decisionListeners) safely(() => listener(decision), reportError);
  };

  const router = createRouter({
    pool: options.name,
    members,
    strategy: () => strategy,
    health,
    budget,
    maxAttempts: options.retry?.maxAttempts ?? 3,
    attemptTimeoutMs: options.retry?.attemptTimeoutMs ?? 2000,
    requestTimeoutMs: options.retry?.requestTimeoutMs ?? 10_000,
    backoffBaseMs: options.retry?.backoffBaseMs ?? 25,
    backoffMaxMs: options.retry?.backoffMaxMs ?? 250,
    panic: options.panic ?? 'fail-fast',
    readPanic: options.readPanic ?? 'least-bad',
    ...(options.memberFilter ? { memberFilter: options.memberFilter } : {}),
    record,
  });

  const memberNamed = (name: string): PoolMember => {
    const member = members.find((candidate) => candidate.name === name);
    if (!member) throw new NotFoundError({ message: `pool ${options.name} has no member named "${name}"` });
    return member;
  };
  const capabilities = Object.fromEntries(capabilityNames.map((capability) => [capability, members.every((member) => member.provider.capabilities[capability])])) as unknown as MemoryProviderV1Capabilities;
  let closed = false;
  const ensureOpen = (): void => {
    if (closed) throw new ProviderUnavailableError({ message: `pool ${options.name} is closed`, providerId: options.name, isRetryable: false });
  };
  const route =
    (kind: OperationKind) =>
    async <T>(operation: PoolOperation, call: RouterCall<T>, callOptions?: FailoverCallOptions): Promise<T> => {
      ensureOpen();
      return router.execute(kind, operation, call, callOptions);
    };
  const tracker = options.tracker ?? createBehindTracker();
  const journal = options.journal;
  const pendingWrites = journal ? createPendingWritesView({ pool: options.name, journal, tracker }) : undefined;
  const available = (): string[] => members.filter((member) => member.adminState === 'active' && member.breaker.state !== 'open' && member.breaker.state !== 'isolated').map((member) => member.name);
  // Every member that is up misses a write of these memories: `fromLagging` answers from one of them plus
  // the journal's entries it has not applied yet (a `get`), else the caller gets a retryable 503.
  const lagging = async <T>(memoryIds: readonly string[], members: readonly string[], fromLagging: ((member: string) => Promise<T | undefined>) | undefined, cause?: unknown): Promise<T> => {
    for (const member of fromLagging ? members : []) {
      const answer = await fromLagging!(member).catch(() => undefined);
      if (answer !== undefined) return answer;
    }
    throw latestWritesUnavailable(options.name, memoryIds, cause);
  };
  // Read-your-writes: with a journal, reads go to caught-up members (or, for one memory, to those holding its writes).
  const read = journal
    ? async <T>(operation: PoolOperation, call: RouterCall<T>, callOptions?: FailoverCallOptions, memoryIds: readonly string[] = [], fromLagging?: (member: string) => Promise<T | undefined>): Promise<T> => {
        ensureOpen();
        const up = available();
        // Nothing is admissible (every breaker open): the router's panic rule decides (reads: the least-bad member).
        if (up.length === 0) return router.execute('read', operation, call, callOptions);
        const admitted = admitMembers(tracker, up, memoryIds);
        if (admitted.size === 0 && up.length > 0) return lagging(memoryIds, up, fromLagging);
        try {
          return await router.execute('read', operation, call, callOptions, (name) => admitted.has(name));
        } catch (error) {
          // The admitted members failed retryably (a member died under the request): rather than fail the
          // caller, try the members that are still up and hold every write of these memories; for a
          // listing or search, any that is up (it may lag by the replication backlog, never by an error).
          const rest = available().filter((member) => !admitted.has(member));
          const others = rest.filter((member) => memoryIds.length === 0 || !tracker.pendingFor(member, memoryIds));
          if (!(MemoryError.isInstance(error) && error.isRetryable)) throw error;
          if (others.length === 0 && rest.length > 0 && memoryIds.length > 0) return lagging(memoryIds, rest, fromLagging, error);
          if (others.length === 0) throw error;
          return router.execute('read', operation, call, callOptions, (name) => others.includes(name));
        }
      }
    : route('read');
  // A get from a member that misses writes of the memory the journal cannot replay onto it: another member, or a retryable 503.
  const replayedOrUnavailable = async (answer: Promise<MemoryRecord | null | undefined>, id: string): Promise<MemoryRecord | null> => {
    const record = await answer;
    if (record === undefined) throw latestWritesUnavailable(options.name, [id]);
    return record;
  };
  // Writes have their own path: with a journal, the entry first, then `writeQuorum` members.
  const write = route('write');
  const journaled = journal
    ? createJournaledWrites({ pool: options.name, members, router, journal, tracker, writeQuorum: options.writeQuorum ?? 1, ...(options.backlogLimit ? { backlogLimit: options.backlogLimit } : {}), onResyncNeeded: (member, backlog) => safely(() => options.onResyncNeeded?.(member, backlog), reportError), onResyncCleared: (member) => safely(() => options.onResyncCleared?.(member), reportError), reportError, available, leaseOwner: writePathLeaseOwner(options.leaseOwner ?? randomUUID()) })
    : undefined;
  const idempotent = createIdempotentRunner(options.idempotency ?? createInMemoryIdempotencyStore(), options.idempotencyTtlMs ?? 86_400_000);
  let lastReloadAt = Number.NEGATIVE_INFINITY;
  const replication: PoolReplication | undefined = journal
    ? {
        pool: options.name,
        journal,
        tracker,
        members: members.map((member) => member.name),
        available,
        executeOn: (member, call, callOptions) => router.executeOn(member, 'write', 'replicate', call, callOptions),
        refresh: async () => {
          const backlog = await journal.backlog(options.name);
          tracker.refresh(backlog);
          // Another process appended or delivered entries (or this one just started): reload who misses which
          // memory. At most every 5 s after the first: writes in flight make the two views differ for a moment
          // on every tick, and the reload reads every undelivered row.
          if (tracker.drifted() && Date.now() - lastReloadAt >= 5000) {
            lastReloadAt = Date.now();
            await tracker.reload(() => journal.pendingDeliveries(options.name));
          }
          return backlog;
        },
      }
    : undefined;

  return {
    specificationVersion: 'v1',
    type: 'failover',
    name: options.name,
    capabilities,
    health,
    decisions,
    get strategyName() {
      return strategy.name;
    },
    replication,
    add: (records, callOptions) =>
      idempotent('add', records, callOptions, () => {
        ensureOpen();
        const key = callOptions?.idempotencyKey;
        // With an idempotency key the ids derive from it, so a retry after a crash replays rather than duplicates.
        const withIds = Array.isArray(records)
          ? records.map((item: MemoryProviderV1NewRecord, index) => (item !== null && typeof item === 'object' && item.id === undefined ? { ...item, id: key === undefined ? generateMemoryId() : idempotentMemoryId(callOptions?.principal?.id ?? '', key, index) } : item))
          : records;
        if (journaled) return journaled.add(withIds, callOptions);
        return write('add', (provider, forwarded) => provider.add(withIds, forwarded), callOptions);
      }),
    get: (id, callOptions) =>
      read('get', (provider, forwarded) => (pendingWrites ? replayedOrUnavailable(pendingWrites.get(provider, id, forwarded), id) : provider.get(id, forwarded)), callOptions, [id], async (member) => {
        // Every member that is up misses a write of this memory: one of them, with the journal's entries replayed.
        return router.executeOn(member, 'read', 'get', (provider, forwarded) => pendingWrites!.get(provider, id, forwarded), callOptions);
      }),
    list: (filter, page, callOptions) => read('list', (provider, forwarded) => (pendingWrites ? pendingWrites.list(provider, filter, page, forwarded) : provider.list(filter, page, forwarded)), callOptions),
    search: (query, callOptions) => read('search', (provider, forwarded) => (pendingWrites ? pendingWrites.search(provider, query, forwarded) : provider.search(query, forwarded)), callOptions),
    update: (id, patch, callOptions) =>
      idempotent('update', [id, patch], callOptions, () => {
        ensureOpen();
        return journaled ? journaled.update(id, patch, callOptions) : write('update', (provider, forwarded) => provider.update(id, patch, forwarded), callOptions);
      }),
    delete: (id, callOptions) =>
      idempotent('delete', id, callOptions, () => {
        ensureOpen();
        return journaled ? journaled.delete(id, callOptions) : write('delete', (provider, forwarded) => provider.delete(id, forwarded), callOptions);
      }),
    deleteAll: (scope, callOptions) =>
      idempotent('deleteAll', scope, callOptions, () => {
        ensureOpen();
        return journaled ? journaled.deleteAll(scope, callOptions) : write('deleteAll', (provider, forwarded) => provider.deleteAll(scope, forwarded), callOptions);
      }),
    history: (id, callOptions) =>
      read(
        'history',
        (provider, forwarded) => {
          // A history cannot be replayed from the journal: one from a member that misses a write of the memory would be stale.
          if (tracker.pendingFor(provider.name, [id])) return Promise.reject(latestWritesUnavailable(options.name, [id]));
          return provider.history(id, forwarded);
        },
        callOptions,
        [id],
      ),
    probe: (callOptions) => read('probe', (provider, forwarded) => provider.probe(forwarded), callOptions),
    async close() {
      if (closed) return;
      closed = true;
      for (const probe of probes) probe.dispose();
      probeEvidence.dispose();
      if (options.closeMembers !== false) await Promise.all(members.map((member) => member.provider.close()));
      if (ownsHealth) await health.close();
    },
    setStrategy(next) {
      strategy = { name: typeof next === 'function' ? 'custom' : next, order: resolveStrategy(next, options.hybridWeights) };
    },
    forceOut(name) {
      const member = memberNamed(name);
      member.adminState = 'forced-out';
      member.breaker.isolate();
    },
    forceIn(name) {
      const member = memberNamed(name);
      member.adminState = 'active';
      member.breaker.reset();
    },
    async drain(name) {
      const member = memberNamed(name);
      if (member.adminState === 'active') member.adminState = 'draining';
      if (member.inFlight > 0) await new Promise<void>((resolve) => member.idleWaiters.push(resolve));
    },
    statistics: () => ({
      pool: options.name,
      strategy: strategy.name,
      ...totals,
      retriesRejectedByBudget: budget.stats().rejected,
      members: members.map((member) => ({
        name: member.name,
        priority: member.priority,
        weight: member.weight,
        adminState: member.adminState,
        inFlight: member.inFlight,
        breaker: member.breaker.toJSON(),
        ...member.counters,
        ...(journaled ? { journalBacklog: { entries: tracker.behind(member.name), bytes: tracker.behindBytes(member.name), needsResync: journaled.needingResync().includes(member.name) } } : {}),
      })),
    }),
    onDecision(listener) {
      decisionListeners.add(listener);
      return { dispose: () => void decisionListeners.delete(listener) };
    },
    onBreakerStateChange(listener) {
      breakerListeners.add(listener);
      return { dispose: () => void breakerListeners.delete(listener) };
    },
  };
}

function validate(options: FailoverPoolOptions): void {
  if (typeof options?.name !== 'string' || options.name.length === 0) throw new ValidationError({ message: 'a failover pool needs a name', field: 'name' });
  if (!Array.isArray(options.providers) || options.providers.length === 0) throw new ValidationError({ message: 'a failover pool needs at least one provider', field: 'providers' });
  const seen = new Set<string>();
  options.providers.forEach((member, index) => {
    if (!member?.provider || member.provider.specificationVersion !== 'v1') throw new ValidationError({ message: 'expected a MemoryProviderV1', field: `providers[${index}].provider` });
    if (seen.has(member.provider.name)) throw new ValidationError({ message: `duplicate provider name "${member.provider.name}"`, field: `providers[${index}].provider.name` });
    seen.add(member.provider.name);
    if (member.priority !== undefined && !Number.isFinite(member.priority)) throw new ValidationError({ message: 'priority must be a finite number', field: `providers[${index}].priority` });
    if (member.weight !== undefined && !(Number.isFinite(member.weight) && member.weight >= 1)) throw new ValidationError({ message: 'weight must be a number ≥ 1', field: `providers[${index}].weight` });
  });
  const attempts = options.retry?.maxAttempts;
  if (attempts !== undefined && !(Number.isInteger(attempts) && attempts >= 1)) throw new ValidationError({ message: 'maxAttempts must be an integer ≥ 1', field: 'retry.maxAttempts' });
  if (options.probeIntervalMs !== undefined && !(Number.isFinite(options.probeIntervalMs) && options.probeIntervalMs > 0)) throw new ValidationError({ message: 'probeIntervalMs must be a positive number of milliseconds', field: 'probeIntervalMs' });
  for (const field of ['panic', 'readPanic'] as const) {
    const mode = options[field];
    if (mode !== undefined && mode !== 'fail-fast' && mode !== 'least-bad') throw new ValidationError({ message: `${field} must be "fail-fast" or "least-bad"`, field });
  }
  resolveStrategy(options.strategy ?? 'priority');
  const quorum = options.writeQuorum;
  if (quorum !== undefined && !(Number.isInteger(quorum) && quorum >= 1 && quorum <= options.providers.length)) throw new ValidationError({ message: 'writeQuorum must be an integer from 1 to the number of providers', field: 'writeQuorum' });
  if (quorum !== undefined && quorum > 1 && options.journal === undefined) throw new ValidationError({ message: 'writeQuorum above 1 needs a journal', field: 'writeQuorum' });
  for (const key of ['entries', 'bytes', 'retryAfterMs'] as const) {
    const value = options.backlogLimit?.[key];
    if (value !== undefined && !(Number.isFinite(value) && value > 0)) throw new ValidationError({ message: `backlogLimit.${key} must be a positive number`, field: `backlogLimit.${key}` });
  }
}

function safely(work: () => void, reportError: (error: unknown) => void): void {
  try {
    work();
  } catch (error) {
    reportError(error);
  }
}
