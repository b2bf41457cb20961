import { matchAllFilter, NotFoundError, ProviderUnavailableError, wrapMemoryProvider, type MemoryProviderV1, type MemoryProviderV1Capabilities } from '@memgate/core';
import {
  createBehindTracker,
  createFailoverPool,
  createReplicator,
  resolveStrategy,
  resyncMember,
  type CircuitBreakerSnapshot,
  type CircuitStateChange,
  type DecisionHistoryStore,
  type FailoverCallOptions,
  type FailoverPool,
  type FailoverPoolStatistics,
  type IdempotencyStore,
  type Replicator,
  type ResyncReport,
  type RoutingDecision,
  type RoutingStrategyName,
  type WriteJournal,
} from '@memgate/failover';
import type { Disposable, HealthMonitor } from '@memgate/health';
import type { ProviderRecord, ProviderRegistry, RoutingConfig } from '@memgate/registry';
import { backlogAlerts } from './backlog-alerts.js';
import { routingPoolOptions, toStrategyName } from './routing-pool-options.js';
import type { InstanceUsage } from './instance-usage.js';
import { callTimeoutMiddleware } from './call-timeout-middleware.js';
import { instanceUsageMiddleware } from './instance-usage-middleware.js';

/** Options of {@link createLiveFailoverPool}. */
export interface LiveFailoverPoolOptions {
  /** The pool's name (its provider name in `/readyz` and decisions). Default `memgate`. */
  readonly name?: string;
  /** Where the members come from: its active providers, with their `priority` and `timeout`. */
  readonly registry: ProviderRegistry;
  /** Shared by every generation of the pool, so health survives a rebuild. */
  readonly health: HealthMonitor;
  /** Shared by every generation of the pool. */
  readonly decisions: DecisionHistoryStore;
  /** The config's `routing` section. */
  readonly routing?: RoutingConfig;
  /**
   * The write journal (the state store's). With it every write is journaled before it is acknowledged
   * on `routing.write_quorum` members (capped at the member count), reads avoid members that are behind,
   * and each pool generation runs a replicator that delivers entries to the other members.
   */
  readonly journal?: WriteJournal;
  /** Where idempotency keys of writes are kept (the state store's). Default: the pool's own, in memory. */
  readonly idempotency?: IdempotencyStore;
  /**
   * This process's lease owner id in the journal, for the replicator and (as `writePathLeaseOwner(id)`) the
   * write path; stable across restarts, so a restarted gateway takes back its own claims at once. Default: a random one per process.
   */
  readonly leaseOwner?: string;
  /** Counts calls per registry instance (pass the same one as the registry's `retireInstance`). */
  readonly usage?: InstanceUsage;
  /** Told when a member that joined without its data (see `joiningMembers`) has been resynced and is read from. */
  readonly onMemberResynced?: (report: ResyncReport) => void;
  /** Told of errors that cannot be thrown. */
  readonly onError?: (error: unknown) => void;
}

/** An operator's setting of a member, kept across rebuilds. */
export type OperatorState = 'forced-out' | 'draining';

/**
 * The gateway's memory: a `MemoryProviderV1` that runs each call on the current failover pool over
 * the registry's active providers, plus the pool's runtime controls. {@link LiveFailoverPool.rebuild}
 * builds a new pool and swaps the reference; calls already running finish on the pool they started
 * on, which is closed (never its members: they belong to the registry) once its last call ends.
 * Operator settings (strategy, forced-out and draining members) and breaker states carry over.
 */
export interface LiveFailoverPool extends MemoryProviderV1 {
  add: FailoverPool['add'];
  get: FailoverPool['get'];
  list: FailoverPool['list'];
  search: FailoverPool['search'];
  update: FailoverPool['update'];
  delete: FailoverPool['delete'];
  deleteAll: FailoverPool['deleteAll'];
  history: FailoverPool['history'];
  probe: FailoverPool['probe'];
  readonly health: HealthMonitor;
  readonly decisions: DecisionHistoryStore;
  /** The pool serving new calls, or `undefined` while no provider is active. */
  current(): FailoverPool | undefined;
  readonly strategyName: string;
  /** @throws ValidationError (field `strategy`) for an unknown name; `round_robin` and `round-robin` are both accepted */
  setStrategy(strategy: string): void;
  /** @throws NotFoundError when the member is not in the pool */
  forceOut(member: string): void;
  /** @throws NotFoundError when the member is not in the pool */
  forceIn(member: string): void;
  /** Resolves once the member's in-flight calls ended. @throws NotFoundError when the member is not in the pool */
  drain(member: string): Promise<void>;
  /** Operator settings by member name. */
  operatorStates(): ReadonlyMap<string, OperatorState>;
  statistics(): FailoverPoolStatistics;
  onDecision(listener: (decision: RoutingDecision) => void): Disposable;
  onBreakerStateChange(listener: (member: string, change: CircuitStateChange) => void): Disposable;
  /** Builds a pool over the registry's active providers now and swaps it in (serialised). */
  rebuild(): Promise<void>;
  /** The current generation's replicator (with a journal), for statistics. */
  replicator(): Replicator | undefined;
}

interface Generation {
  readonly pool: FailoverPool;
  readonly replicator: Replicator | undefined;
  inFlight: number;
  retired: boolean;
  readonly subscriptions: Disposable[];
}

/** Creates a {@link LiveFailoverPool}; call `rebuild()` once the registry has started. */
export function createLiveFailoverPool(options: LiveFailoverPoolOptions): LiveFailoverPool {
  const name = options.name ?? 'memgate';
  const reportError = options.onError ?? ((error: unknown) => console.warn('[memgate]', error));
  const decisionListeners = new Set<(decision: RoutingDecision) => void>();
  const breakerListeners = new Set<(member: string, change: CircuitStateChange) => void>();
  const operator = new Map<string, OperatorState>();
  // One view of who is behind on what for every generation: a rebuilt pool must not forget pending writes.
  const tracker = createBehindTracker();
  const backlog = options.routing?.backlog_limit;
  let strategy: RoutingStrategyName = toStrategyName(options.routing?.strategy ?? 'priority');
  let generation: Generation | undefined;
  let queue: Promise<void> = Promise.resolve();
  let closed = false;

  const closeGeneration = async (old: Generation): Promise<void> => {
    await old.replicator?.stop();
    await old.pool.close();
  };
  const retire = (old: Generation): void => {
    old.retired = true;
    for (const subscription of old.subscriptions) subscription.dispose();
    if (old.inFlight === 0) void closeGeneration(old).catch(reportError);
  };

  const build = async (): Promise<void> => {
    if (closed) return;
    const records = (await options.registry.list()).filter((record) => record.state === 'active' && options.registry.provider(record.name));
    const previous = generation;
    const saved: Record<string, CircuitBreakerSnapshot> = Object.fromEntries((previous?.pool.statistics().members ?? []).map((member) => [member.name, member.breaker]));
    let next: Generation | undefined;
    let joining: string[] = [];
    if (records.length > 0) {
      const routing = routingPoolOptions(options.routing, Math.max(...records.map((record) => record.config.timeout)));
      // One member has nobody to replicate to: its writes cost no journal statements at all, once the
      // journal has delivered what it still holds for it (writes taken by a member removed since).
      const soleBacklog = records.length === 1 && options.journal ? ((await options.journal.backlog(name)).find((figures) => figures.member === records[0]!.name)?.entries ?? 0) : 0;
      const journal = records.length > 1 || soleBacklog > 0 ? options.journal : undefined;
      const pool = createFailoverPool({
        name,
        ...routing,
        strategy,
        breaker: { ...routing.breaker, initialStates: saved },
        providers: records.map((record) => ({ provider: asPoolMember(options.registry.provider(record.name)!, record.config.timeout, options.usage), priority: record.config.priority })),
        health: options.health,
        decisions: options.decisions,
        closeMembers: false,
        onError: reportError,
        ...(journal
          ? {
              journal,
              tracker,
              ...(options.leaseOwner ? { leaseOwner: options.leaseOwner } : {}),
              writeQuorum: Math.min(options.routing?.write_quorum ?? 1, records.length),
              backlogLimit: { entries: backlog?.entries ?? 100_000, ...(backlog?.bytes === undefined ? {} : { bytes: backlog.bytes }), ...(backlog?.retry_after_ms === undefined ? {} : { retryAfterMs: backlog.retry_after_ms }) },
              ...backlogAlerts(options.health, backlog?.entries ?? 100_000),
            }
          : {}),
        ...(options.idempotency ? { idempotency: options.idempotency } : {}),
      });
      // Read-your-writes from the first request: who misses which memory's writes, as the journal says (a restarted gateway knows nothing yet).
      await pool.replication?.refresh().catch(reportError);
      // The previous generation's replicator stops first, so two loops of this process never claim at once.
      if (previous) await previous.replicator?.stop();
      const replicator = journal ? createReplicator({ pool, onError: reportError, ...(options.leaseOwner ? { owner: options.leaseOwner } : {}) }) : undefined;
      replicator?.start();
      if (replicator && records.length === 1) {
        const drained = replicator.onEvent((event) => {
          if (event.type !== 'caught-up') return;
          drained.dispose();
          void rebuildNow().catch(reportError);
        });
      }
      joining = journal ? await joiningMembers(previous?.pool, records) : [];
      for (const member of joining) tracker.joining(member);
      for (const [member, state] of operator) {
        if (!records.some((record) => record.name === member)) continue;
        if (state === 'forced-out') pool.forceOut(member);
        else void pool.drain(member).catch(reportError);
      }
      next = {
        pool,
        replicator,
        inFlight: 0,
        retired: false,
        subscriptions: [
          pool.onDecision((decision) => {
            for (const listener of decisionListeners) listener(decision);
          }),
          pool.onBreakerStateChange((member, change) => {
            for (const listener of breakerListeners) listener(member, change);
          }),
        ],
      };
    }
    generation = next;
    if (previous) retire(previous);
    for (const member of joining) resyncJoining(member);
  };

  /**
   * Members that join a journaled pool without the data the others hold: new to this process's pool
   * (added, or activated again, while the gateway runs: it missed every write meanwhile), still joining
   * in an earlier generation, or, at start, empty while another member is not (a second provider added
   * to the config of a gateway that ran with one, whose writes were not journaled).
   */
  const joiningMembers = async (previous: FailoverPool | undefined, records: readonly ProviderRecord[]): Promise<string[]> => {
    const names = records.map((record) => record.name);
    if (previous) {
      const before = new Set(previous.statistics().members.map((member) => member.name));
      return names.filter((member) => !before.has(member) || tracker.isJoining(member));
    }
    const totals = await Promise.all(names.map((member) => holdsAnything(options.registry.provider(member)!)));
    return totals.some((total) => total === true) ? names.filter((_, index) => totals[index] === false) : [];
  };
  /**
   * Resyncs a joining member from a caught-up one on whatever pool generation serves, retrying with
   * backoff while it is still in the pool; one resync per member at a time. Reads avoid it until done.
   */
  const resyncs = new Map<string, Promise<void>>();
  const resyncJoining = (member: string): void => {
    if (resyncs.has(member)) return;
    const run = async (): Promise<void> => {
      for (let attempt = 0; !closed && tracker.isJoining(member); attempt += 1) {
        const pool = generation?.pool;
        if (!pool?.replication?.members.includes(member)) return;
        // From the preferred caught-up member that can list all it holds (a hosted mem0 cannot without a scope).
        const sources = [...pool.statistics().members].sort((left, right) => left.priority - right.priority).map((candidate) => candidate.name);
        let failure: unknown;
        for (const source of sources.filter((candidate) => candidate !== member && !tracker.isJoining(candidate) && tracker.behind(candidate) === 0)) {
          try {
            const report = await resyncMember(pool, member, { source });
            tracker.joined(member);
            options.onMemberResynced?.(report);
            return;
          } catch (error) {
            failure = error;
          }
        }
        reportError(failure ?? new Error(`no caught-up member to resync ${member} from`));
        await new Promise((resolve) => setTimeout(resolve, Math.min(30_000, 1000 * 2 ** attempt)).unref());
      }
    };
    resyncs.set(member, run().finally(() => resyncs.delete(member)));
  };

  const rebuildNow = (): Promise<void> => {
    const next = queue.then(build);
    queue = next.catch(reportError);
    return next;
  };

  const run = async <Result>(work: (pool: FailoverPool) => Promise<Result>): Promise<Result> => {
    const serving = generation;
    if (!serving) throw new ProviderUnavailableError({ message: 'no memory provider is active; register or activate one at /providers', providerId: name, isRetryable: false });
    serving.inFlight += 1;
    try {
      return await work(serving.pool);
    } finally {
      serving.inFlight -= 1;
      if (serving.retired && serving.inFlight === 0) void closeGeneration(serving).catch(reportError);
    }
  };

  const pool = (): FailoverPool => {
    if (!generation) throw new NotFoundError({ message: 'the pool has no members: no provider is active' });
    return generation.pool;
  };

  const capabilities: MemoryProviderV1Capabilities = { vectorSearch: false, fullTextSearch: false, history: false, metadataFilters: false, callerIds: false, batchWrites: false, inference: false };

  return {
    specificationVersion: 'v1',
    type: 'failover',
    name,
    get capabilities() {
      return generation?.pool.capabilities ?? capabilities;
    },
    health: options.health,
    decisions: options.decisions,
    add: (records, callOptions?: FailoverCallOptions) => run((current) => current.add(records, callOptions)),
    get: (id, callOptions?: FailoverCallOptions) => run((current) => current.get(id, callOptions)),
    list: (filter, page, callOptions?: FailoverCallOptions) => run((current) => current.list(filter, page, callOptions)),
    search: (query, callOptions?: FailoverCallOptions) => run((current) => current.search(query, callOptions)),
    update: (id, patch, callOptions?: FailoverCallOptions) => run((current) => current.update(id, patch, callOptions)),
    delete: (id, callOptions?: FailoverCallOptions) => run((current) => current.delete(id, callOptions)),
    deleteAll: (scope, callOptions?: FailoverCallOptions) => run((current) => current.deleteAll(scope, callOptions)),
    history: (id, callOptions?: FailoverCallOptions) => run((current) => current.history(id, callOptions)),
    probe: (callOptions?: FailoverCallOptions) => run((current) => current.probe(callOptions)),
    current: () => generation?.pool,
    replicator: () => generation?.replicator,
    get strategyName() {
      return strategy;
    },
    setStrategy(next) {
      const resolved = toStrategyName(next);
      resolveStrategy(resolved); // throws ValidationError for an unknown name
      strategy = resolved;
      generation?.pool.setStrategy(resolved);
    },
    forceOut(member) {
      pool().forceOut(member);
      operator.set(member, 'forced-out');
    },
    forceIn(member) {
      pool().forceIn(member);
      operator.delete(member);
    },
    async drain(member) {
      const draining = pool().drain(member);
      operator.set(member, 'draining');
      await draining;
    },
    operatorStates: () => operator,
    statistics: () =>
      generation?.pool.statistics() ?? { pool: name, strategy, requests: 0, successes: 0, failures: 0, requestsWithFallback: 0, fallbacks: 0, panics: 0, retriesRejectedByBudget: 0, members: [] },
    onDecision(listener) {
      decisionListeners.add(listener);
      return { dispose: () => void decisionListeners.delete(listener) };
    },
    onBreakerStateChange(listener) {
      breakerListeners.add(listener);
      return { dispose: () => void breakerListeners.delete(listener) };
    },
    rebuild: rebuildNow,
    async close() {
      closed = true;
      await queue;
      const last = generation;
      generation = undefined;
      if (last) {
        for (const subscription of last.subscriptions) subscription.dispose();
        await closeGeneration(last);
      }
    },
  };
}

/** A registry instance as a pool member: its own call timeout, and (with `usage`) its calls counted so a retired instance closes only when idle. */
function asPoolMember(instance: MemoryProviderV1, timeoutMs: number, usage: InstanceUsage | undefined): MemoryProviderV1 {
  return wrapMemoryProvider(instance, [callTimeoutMiddleware(timeoutMs), ...(usage ? [instanceUsageMiddleware(usage, instance)] : [{ name: 'registry-owned', close: async () => undefined }])]);
}

/** Whether a provider holds any memory (`undefined` when it cannot say now: it is not treated as empty). */
async function holdsAnything(provider: MemoryProviderV1): Promise<boolean | undefined> {
  try {
    return (await provider.list(matchAllFilter, { page: 1, pageSize: 1 }, { deadline: Date.now() + 5000 })).total > 0;
  } catch {
    return undefined;
  }
}
