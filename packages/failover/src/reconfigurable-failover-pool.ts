import { matchAllFilter, NotFoundError, ProviderUnavailableError, type MemoryProviderV1, type MemoryProviderV1Capabilities } from '@memgate/core';
import type { Disposable, HealthMonitor } from '@memgate/health';
import { createBehindTracker } from './behind-tracker.js';
import type { CircuitBreakerSnapshot, CircuitStateChange } from './circuit-breaker-state.js';
import { createFailoverPool } from './create-failover-pool.js';
import type { DecisionHistoryStore } from './decision-history-store.js';
import type { FailoverCallOptions } from './failover-call-options.js';
import type { FailoverPool, FailoverPoolStatistics } from './failover-pool.js';
import type { FailoverPoolMemberOptions, FailoverPoolOptions } from './failover-pool-options.js';
import { createReplicator, type Replicator, type ReplicatorOptions } from './replicator.js';
import { resolveStrategy } from './resolve-strategy.js';
import { resyncMember, type ResyncReport } from './resync-member.js';
import type { RoutingDecision } from './routing-decision.js';
import type { RoutingStrategyName } from './routing-strategy.js';

/** Options of {@link createReconfigurableFailoverPool}: a pool's, without the members (given to `reconfigure`). */
export interface ReconfigurableFailoverPoolOptions extends Omit<FailoverPoolOptions, 'providers' | 'tracker' | 'health' | 'decisions' | 'closeMembers' | 'strategy' | 'breaker'> {
  /** Shared by every generation, so health survives a reconfiguration. */
  readonly health: HealthMonitor;
  /** Shared by every generation. */
  readonly decisions: DecisionHistoryStore;
  readonly strategy?: RoutingStrategyName;
  readonly breaker?: Omit<NonNullable<FailoverPoolOptions['breaker']>, 'initialStates'>;
  /** Settings of each generation's replicator (with a journal and two or more members). */
  readonly replicator?: Omit<ReplicatorOptions, 'pool' | 'owner' | 'onError'>;
  /** Told when a member that joined without its data has been resynced and is read from. */
  readonly onMemberResynced?: (report: ResyncReport) => void;
}

/** An operator's setting of a member, kept across reconfigurations. */
export type OperatorState = 'forced-out' | 'draining';

/**
 * A failover pool whose members can change while it serves: {@link ReconfigurableFailoverPool.reconfigure}
 * builds a pool over the new members and swaps it in; calls already running finish on the pool they
 * started on, which is closed once idle (never its members: they belong to the caller). Breaker states,
 * operator settings (strategy, forced-out and draining members) and who misses which writes carry over.
 * With a journal:
 * - one member journals nothing (nobody to replicate to), once the journal has delivered what it still
 *   held for it; two or more journal every write, and each generation runs a replicator;
 * - a member that joins without the data the others hold is resynced from the preferred caught-up one in
 *   the background, and read from only once that is done. It joins so when it is new to this pool (added,
 *   or activated again: it missed every write meanwhile), or, at the first configuration, when it is
 *   empty while another member is not (a second provider added to a deployment that ran with one).
 */
export interface ReconfigurableFailoverPool extends MemoryProviderV1 {
  add: FailoverPool['add'];
  get: FailoverPool['get'];
  list: FailoverPool['list'];
  aggregateEntities: NonNullable<FailoverPool['aggregateEntities']>;
  search: FailoverPool['search'];
  update: FailoverPool['update'];
  delete: FailoverPool['delete'];
  deleteAll: FailoverPool['deleteAll'];
  history: FailoverPool['history'];
  probe: FailoverPool['probe'];
  readonly health: HealthMonitor;
  readonly decisions: DecisionHistoryStore;
  /**
   * Builds a pool over these members and swaps it in (calls are serialised); none: no pool, calls get a 503.
   * @param retry replaces the retry settings from then on (attempt timeouts that follow the members' own timeouts)
   */
  reconfigure(members: readonly FailoverPoolMemberOptions[], retry?: FailoverPoolOptions['retry']): Promise<void>;
  /** The pool serving new calls, or `undefined` while there are no members. */
  current(): FailoverPool | undefined;
  /** The current generation's replicator (with a journal and two or more members). */
  replicator(): Replicator | undefined;
  readonly strategyName: string;
  /** @throws ValidationError (field `strategy`) for an unknown name */
  setStrategy(strategy: RoutingStrategyName): void;
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
}

interface Generation {
  readonly pool: FailoverPool;
  readonly replicator: Replicator | undefined;
  inFlight: number;
  retired: boolean;
  readonly subscriptions: Disposable[];
}

const noCapabilities: MemoryProviderV1Capabilities = { vectorSearch: false, fullTextSearch: false, history: false, metadataFilters: false, callerIds: false, batchWrites: false, inference: false };

/** Creates a {@link ReconfigurableFailoverPool} with no members; call `reconfigure` to give it some. */
export function createReconfigurableFailoverPool(options: ReconfigurableFailoverPoolOptions): ReconfigurableFailoverPool {
  const { replicator: replicatorOptions, onMemberResynced, health, decisions, ...poolOptions } = options;
  const name = options.name;
  const reportError = options.onError ?? ((error: unknown) => console.warn('[@memgate/failover]', error));
  const decisionListeners = new Set<(decision: RoutingDecision) => void>();
  const breakerListeners = new Set<(member: string, change: CircuitStateChange) => void>();
  const operator = new Map<string, OperatorState>();
  // One view of who is behind on what for every generation: a new pool must not forget pending writes.
  const tracker = createBehindTracker();
  let strategy: RoutingStrategyName = options.strategy ?? 'priority';
  let members: readonly FailoverPoolMemberOptions[] = [];
  let retry = options.retry;
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
    const previous = generation;
    const saved: Record<string, CircuitBreakerSnapshot> = Object.fromEntries((previous?.pool.statistics().members ?? []).map((member) => [member.name, member.breaker]));
    let next: Generation | undefined;
    let joining: string[] = [];
    if (members.length > 0) {
      // One member has nobody to replicate to: its writes cost no journal statement at all, once the
      // journal has delivered what it still holds for it (writes taken by a member removed since).
      const soleBacklog = members.length === 1 && options.journal ? ((await options.journal.backlog(name)).find((figures) => figures.member === members[0]!.provider.name)?.entries ?? 0) : 0;
      const journal = members.length > 1 || soleBacklog > 0 ? options.journal : undefined;
      const { journal: _journal, writeQuorum, backlogLimit, onResyncNeeded, onResyncCleared, leaseOwner, ...routing } = poolOptions;
      const pool = createFailoverPool({
        ...routing,
        ...(retry ? { retry } : {}),
        strategy,
        breaker: { ...options.breaker, initialStates: saved },
        providers: members,
        health,
        decisions,
        closeMembers: false,
        onError: reportError,
        ...(journal
          ? {
              journal,
              tracker,
              ...(leaseOwner ? { leaseOwner } : {}),
              writeQuorum: Math.min(writeQuorum ?? 1, members.length),
              ...(backlogLimit ? { backlogLimit } : {}),
              ...(onResyncNeeded ? { onResyncNeeded } : {}),
              ...(onResyncCleared ? { onResyncCleared } : {}),
            }
          : {}),
      });
      // Read-your-writes from the first request: who misses which memory's writes, as the journal says (a restarted process knows nothing yet).
      await pool.replication?.refresh().catch(reportError);
      // The previous generation's replicator stops first, so two loops of this process never claim at once.
      if (previous) await previous.replicator?.stop();
      const replicator = journal ? createReplicator({ ...replicatorOptions, pool, onError: reportError, ...(leaseOwner ? { owner: leaseOwner } : {}) }) : undefined;
      replicator?.start();
      if (replicator && members.length === 1) {
        // The sole member's backlog is delivered: the next generation journals nothing.
        const drained = replicator.onEvent((event) => {
          if (event.type !== 'caught-up') return;
          drained.dispose();
          void enqueue(build).catch(reportError);
        });
      }
      joining = journal ? await joiningMembers(previous?.pool) : [];
      for (const member of joining) tracker.joining(member);
      for (const [member, state] of operator) {
        if (!members.some((candidate) => candidate.provider.name === member)) continue;
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

  const enqueue = (work: () => Promise<void>): Promise<void> => {
    const next = queue.then(work);
    queue = next.catch(reportError);
    return next;
  };

  /** Members that join without the data the others hold (see {@link ReconfigurableFailoverPool}). */
  const joiningMembers = async (previous: FailoverPool | undefined): Promise<string[]> => {
    const names = members.map((member) => member.provider.name);
    if (previous) {
      const before = new Set(previous.statistics().members.map((member) => member.name));
      return names.filter((member) => !before.has(member) || tracker.isJoining(member));
    }
    const holding = await Promise.all(members.map((member) => holdsAnything(member.provider)));
    return holding.some((holds) => holds === true) ? names.filter((_, index) => holding[index] === false) : [];
  };

  /**
   * Resyncs a joining member from a caught-up one on whatever generation serves, retrying with backoff
   * while it is still a member; one resync per member at a time. Reads avoid it until done.
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
            onMemberResynced?.(report);
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

  const run = async <Result>(work: (pool: FailoverPool) => Promise<Result>): Promise<Result> => {
    const serving = generation;
    if (!serving) throw new ProviderUnavailableError({ message: `pool ${name} has no members: no memory provider is active`, providerId: name, isRetryable: false });
    serving.inFlight += 1;
    try {
      return await work(serving.pool);
    } finally {
      serving.inFlight -= 1;
      if (serving.retired && serving.inFlight === 0) void closeGeneration(serving).catch(reportError);
    }
  };

  const pool = (): FailoverPool => {
    if (!generation) throw new NotFoundError({ message: `pool ${name} has no members` });
    return generation.pool;
  };

  return {
    specificationVersion: 'v1',
    type: 'failover',
    name,
    get capabilities() {
      return generation?.pool.capabilities ?? noCapabilities;
    },
    health,
    decisions,
    add: (records, callOptions?: FailoverCallOptions) => run((current) => current.add(records, callOptions)),
    get: (id, callOptions?: FailoverCallOptions) => run((current) => current.get(id, callOptions)),
    list: (filter, page, callOptions?: FailoverCallOptions) => run((current) => current.list(filter, page, callOptions)),
    aggregateEntities: (filter, callOptions?: FailoverCallOptions) => run((current) => current.aggregateEntities!(filter, callOptions)),
    search: (query, callOptions?: FailoverCallOptions) => run((current) => current.search(query, callOptions)),
    update: (id, patch, callOptions?: FailoverCallOptions) => run((current) => current.update(id, patch, callOptions)),
    delete: (id, callOptions?: FailoverCallOptions) => run((current) => current.delete(id, callOptions)),
    deleteAll: (scope, callOptions?: FailoverCallOptions) => run((current) => current.deleteAll(scope, callOptions)),
    history: (id, callOptions?: FailoverCallOptions) => run((current) => current.history(id, callOptions)),
    probe: (callOptions?: FailoverCallOptions) => run((current) => current.probe(callOptions)),
    reconfigure(next, nextRetry) {
      return enqueue(async () => {
        members = [...next];
        if (nextRetry) retry = nextRetry;
        await build();
      });
    },
    current: () => generation?.pool,
    replicator: () => generation?.replicator,
    get strategyName() {
      return strategy;
    },
    setStrategy(next) {
      resolveStrategy(next); // throws ValidationError for an unknown name
      strategy = next;
      generation?.pool.setStrategy(next);
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
    statistics: () => generation?.pool.statistics() ?? { pool: name, strategy, requests: 0, successes: 0, failures: 0, requestsWithFallback: 0, fallbacks: 0, panics: 0, retriesRejectedByBudget: 0, members: [] },
    onDecision(listener) {
      decisionListeners.add(listener);
      return { dispose: () => void decisionListeners.delete(listener) };
    },
    onBreakerStateChange(listener) {
      breakerListeners.add(listener);
      return { dispose: () => void breakerListeners.delete(listener) };
    },
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

/** Whether a provider holds any memory (`undefined` when it cannot say now: it is not treated as empty). */
async function holdsAnything(provider: MemoryProviderV1): Promise<boolean | undefined> {
  try {
    return (await provider.list(matchAllFilter, { page: 1, pageSize: 1 }, { deadline: Date.now() + 5000 })).total > 0;
  } catch {
    return undefined;
  }
}
