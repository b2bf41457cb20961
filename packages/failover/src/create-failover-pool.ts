import { randomUUID } from 'node:crypto';
import { generateMemoryId, ProviderUnavailableError, type MemoryProviderV1Capabilities, type MemoryProviderV1NewRecord } from '@memgate/core';
import { createHealthMonitor } from '@memgate/health';
import { createBehindTracker } from './behind-tracker.js';
import { createCeilingSyncer } from './ceiling-syncer.js';
import type { CircuitStateChange } from './circuit-breaker-state.js';
import { createPoolMembers, feedProbesToBreakers } from './create-pool-members.js';
import { createPoolReplication } from './create-pool-replication.js';
import { createInMemoryDecisionHistoryStore } from './decision-history-store.js';
import type { FailoverCallOptions } from './failover-call-options.js';
import type { FailoverPool } from './failover-pool.js';
import { validateFailoverPoolOptions, type FailoverPoolOptions } from './failover-pool-options.js';
import { createInMemoryIdempotencyStore } from './idempotency-store.js';
import { idempotentMemoryId } from './idempotent-memory-id.js';
import { createJournaledWrites } from './journaled-writes.js';
import { createPendingWritesView } from './pending-writes-view.js';
import { createPoolAdminControls, type PoolTotals } from './pool-admin-controls.js';
import { createPoolReadPath } from './pool-read-path.js';
import { createRetryBudget } from './retry-budget.js';
import { createRouter, type RouterCall } from './router.js';
import type { PoolOperation, RoutingDecision } from './routing-decision.js';
import { createIdempotentRunner } from './with-idempotency.js';
import { writePathLeaseOwner } from './write-journal.js';

export type { FailoverPoolMemberOptions, FailoverPoolOptions, FailoverRetryOptions } from './failover-pool-options.js';

const capabilityNames: readonly (keyof MemoryProviderV1Capabilities)[] = ['vectorSearch', 'fullTextSearch', 'history', 'metadataFilters', 'callerIds', 'batchWrites', 'inference'];

/**
 * Creates a failover pool: a `MemoryProviderV1` whose every operation runs through the router over its
 * members. Capabilities are the intersection of the members' (any member may serve any call). New
 * records get their canonical id here, before routing, so a retried add writes the same id everywhere.
 * The parts: members and their breakers (`create-pool-members.ts`), the router, the read path
 * (`pool-read-path.ts`), the write path (`journaled-writes.ts` with a journal), operator controls and
 * figures (`pool-admin-controls.ts`) and, with a journal, what the replicator uses (`create-pool-replication.ts`).
 * @throws ValidationError naming the field for an empty or duplicate member list or a bad option
 */
export function createFailoverPool(options: FailoverPoolOptions): FailoverPool {
  validateFailoverPoolOptions(options);
  const reportError = options.onError ?? ((error: unknown) => console.warn('[@memgate/failover]', error));
  const health = options.health ?? createHealthMonitor({ onError: reportError });
  const ownsHealth = options.health === undefined;
  const decisions = options.decisions ?? createInMemoryDecisionHistoryStore();
  const decisionListeners = new Set<(decision: RoutingDecision) => void>();
  const breakerListeners = new Set<(member: string, change: CircuitStateChange) => void>();
  const totals: PoolTotals = { requests: 0, successes: 0, failures: 0, requestsWithFallback: 0, fallbacks: 0, panics: 0 };

  const members = createPoolMembers(options, (member, change) => {
    for (const listener of breakerListeners) safely(() => listener(member, change), reportError);
  });
  const budget = createRetryBudget(options.retry?.budget);
  const probes = options.probeIntervalMs === undefined ? [] : members.map((member) => health.addProbeTarget(member.name, (signal) => member.provider.probe({ signal }), options.probeIntervalMs));
  const probeEvidence = feedProbesToBreakers(health, members);
  const ceilings = options.sharedCeilings ? createCeilingSyncer({ onError: reportError, ...options.sharedCeilings, members }) : undefined;

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

  const tracker = options.tracker ?? createBehindTracker();
  const journal = options.journal;
  const available = (): string[] => members.filter((member) => member.adminState === 'active' && member.breaker.state !== 'open' && member.breaker.state !== 'isolated').map((member) => member.name);
  const controls = createPoolAdminControls({
    pool: options.name,
    members,
    strategy: options.strategy,
    hybridWeights: options.hybridWeights,
    totals,
    budget,
    // The write path is built below; its resync list is read only when statistics are asked for.
    ...(journal ? { journaled: { tracker, needingResync: () => journaled?.needingResync() ?? [] } } : {}),
  });
  const router = createRouter({
    pool: options.name,
    members,
    strategy: controls.strategy,
    health,
    budget,
    maxAttempts: options.retry?.maxAttempts ?? 3,
    attemptTimeoutMs: options.retry?.attemptTimeoutMs ?? 2000,
    requestTimeoutMs: options.retry?.requestTimeoutMs ?? 10_000,
    backoffBaseMs: options.retry?.backoffBaseMs ?? 25,
    backoffMaxMs: options.retry?.backoffMaxMs ?? 250,
    ...(options.retry?.hedgeReadsAfterMs === undefined ? {} : { hedgeReadsAfterMs: options.retry.hedgeReadsAfterMs }),
    panic: options.panic ?? 'fail-fast',
    readPanic: options.readPanic ?? 'least-bad',
    ...(options.memberFilter ? { memberFilter: options.memberFilter } : {}),
    record,
  });

  const capabilities = Object.fromEntries(capabilityNames.map((capability) => [capability, members.every((member) => member.provider.capabilities[capability])])) as unknown as MemoryProviderV1Capabilities;
  let closed = false;
  const ensureOpen = (): void => {
    if (closed) throw new ProviderUnavailableError({ message: `pool ${options.name} is closed`, providerId: options.name, isRetryable: false });
  };
  const reads = createPoolReadPath({ pool: options.name, router, available, ensureOpen, ...(journal ? { journaled: { tracker, pendingWrites: createPendingWritesView({ pool: options.name, journal, tracker }) } } : {}) });
  // Writes have their own path: with a journal, the entry first, then `writeQuorum` members.
  const write = <T>(operation: PoolOperation, call: RouterCall<T>, callOptions?: FailoverCallOptions): Promise<T> => router.execute('write', operation, call, callOptions);
  const journaled = journal
    ? createJournaledWrites({
        pool: options.name,
        members,
        router,
        journal,
        tracker,
        writeQuorum: options.writeQuorum ?? 1,
        ...(options.backlogLimit ? { backlogLimit: options.backlogLimit } : {}),
        onResyncNeeded: (member, backlog) => safely(() => options.onResyncNeeded?.(member, backlog), reportError),
        onResyncCleared: (member) => safely(() => options.onResyncCleared?.(member), reportError),
        reportError,
        available,
        leaseOwner: writePathLeaseOwner(options.leaseOwner ?? randomUUID()),
      })
    : undefined;
  const idempotent = createIdempotentRunner(options.idempotency ?? createInMemoryIdempotencyStore(), options.idempotencyTtlMs ?? 86_400_000);
  const replication = journal ? createPoolReplication({ pool: options.name, journal, tracker, members: members.map((member) => member.name), available, router }) : undefined;

  return {
    specificationVersion: 'v1',
    type: 'failover',
    name: options.name,
    capabilities,
    health,
    decisions,
    get strategyName() {
      return controls.strategy().name;
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
    get: reads.get,
    list: reads.list,
    aggregateEntities: reads.aggregateEntities,
    search: reads.search,
    history: reads.history,
    probe: reads.probe,
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
    async close() {
      if (closed) return;
      closed = true;
      for (const probe of probes) probe.dispose();
      probeEvidence.dispose();
      await ceilings?.close();
      if (options.closeMembers !== false) await Promise.all(members.map((member) => member.provider.close()));
      if (ownsHealth) await health.close();
    },
    setStrategy: controls.setStrategy,
    forceOut: controls.forceOut,
    forceIn: controls.forceIn,
    drain: controls.drain,
    statistics: controls.statistics,
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

function safely(work: () => void, reportError: (error: unknown) => void): void {
  try {
    work();
  } catch (error) {
    reportError(error);
  }
}
