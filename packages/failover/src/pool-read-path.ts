import { aggregateEntitiesByScan, MemoryError, type MemoryFilter, type MemoryProviderV1Entity, type MemoryHistoryEvent, type MemoryProviderV1ListResult, type MemoryProviderV1Page, type MemoryProviderV1ProbeResult, type MemoryProviderV1SearchQuery, type MemoryProviderV1SearchResult, type MemoryRecord } from '@memgate/core';
import { admitMembers, type BehindTracker } from './behind-tracker.js';
import type { FailoverCallOptions } from './failover-call-options.js';
import { latestWritesUnavailable } from './latest-writes-unavailable.js';
import type { PendingWritesView } from './pending-writes-view.js';
import type { Router, RouterCall } from './router.js';
import type { PoolOperation } from './routing-decision.js';

/** What {@link createPoolReadPath} needs from its pool. */
export interface PoolReadPathOptions {
  readonly pool: string;
  readonly router: Router;
  /** Members that can serve now (active, breaker not open or isolated). */
  readonly available: () => string[];
  /** Throws when the pool is closed. */
  readonly ensureOpen: () => void;
  /** With a journal: who misses which writes, and the view that reads a member with them. */
  readonly journaled?: { readonly tracker: BehindTracker; readonly pendingWrites: PendingWritesView };
}

/** The pool's reads. */
export interface PoolReadPath {
  get(id: string, options?: FailoverCallOptions): Promise<MemoryRecord | null>;
  list(filter: MemoryFilter, page: MemoryProviderV1Page, options?: FailoverCallOptions): Promise<MemoryProviderV1ListResult>;
  /** The member's own entity listing when it has one, else a scan of its listing (through the pending-writes view while it lags). */
  aggregateEntities(filter: MemoryFilter, options?: FailoverCallOptions): Promise<MemoryProviderV1Entity[]>;
  search(query: MemoryProviderV1SearchQuery, options?: FailoverCallOptions): Promise<MemoryProviderV1SearchResult[]>;
  history(id: string, options?: FailoverCallOptions): Promise<MemoryHistoryEvent[]>;
  probe(options?: FailoverCallOptions): Promise<MemoryProviderV1ProbeResult>;
}

/**
 * Reads over the router. Without a journal, straight to the strategy's order. With one, read-your-writes:
 * reads go to the caught-up members (for one memory, to those holding its writes); when every member
 * that is up lags, or the admitted ones fail under the request, to the others, each read through the
 * pending-writes view (the journal's entries it misses replayed over its answer); with nothing
 * admissible at all, the router's panic rule (reads: least-bad order). A `get` that no member can
 * answer with its latest writes, and a `history` from a member that misses one, are a retryable 503.
 */
export function createPoolReadPath(options: PoolReadPathOptions): PoolReadPath {
  const { pool, router, available, ensureOpen, journaled } = options;
  if (!journaled) {
    const read = <T>(operation: PoolOperation, call: RouterCall<T>, callOptions?: FailoverCallOptions): Promise<T> => {
      ensureOpen();
      return router.execute('read', operation, call, callOptions);
    };
    return {
      get: (id, callOptions) => read('get', (provider, forwarded) => provider.get(id, forwarded), callOptions),
      list: (filter, page, callOptions) => read('list', (provider, forwarded) => provider.list(filter, page, forwarded), callOptions),
      aggregateEntities: (filter, callOptions) => read('list', (provider, forwarded) => (provider.aggregateEntities ? provider.aggregateEntities(filter, forwarded) : aggregateEntitiesByScan(provider.list.bind(provider), filter, forwarded)), callOptions),
      search: (query, callOptions) => read('search', (provider, forwarded) => provider.search(query, forwarded), callOptions),
      history: (id, callOptions) => read('history', (provider, forwarded) => provider.history(id, forwarded), callOptions),
      probe: (callOptions) => read('probe', (provider, forwarded) => provider.probe(forwarded), callOptions),
    };
  }
  const { tracker, pendingWrites } = journaled;
  const read = async <T>(operation: PoolOperation, call: RouterCall<T>, callOptions?: FailoverCallOptions, memoryIds: readonly string[] = []): Promise<T> => {
    ensureOpen();
    const up = available();
    if (up.length === 0) return router.execute('read', operation, call, callOptions);
    const admitted = admitMembers(tracker, up, memoryIds);
    const first = admitted.size > 0 ? admitted : new Set(up);
    try {
      return await router.execute('read', operation, call, callOptions, (name) => first.has(name));
    } catch (error) {
      // The first choice failed retryably (a member died under the request): the members still up, read with what they miss.
      const rest = available().filter((member) => !first.has(member));
      if (!(MemoryError.isInstance(error) && error.isRetryable) || rest.length === 0) throw error;
      return router.execute('read', operation, call, callOptions, (name) => rest.includes(name));
    }
  };
  return {
    async get(id, callOptions) {
      // `undefined` from a member: it misses writes of the memory that cannot be replayed onto what it holds (an update of a copy it lacks).
      const fromMember: RouterCall<MemoryRecord | null | undefined> = (provider, forwarded) => pendingWrites.get(provider, id, forwarded);
      const answer = await read('get', fromMember, callOptions, [id]);
      if (answer !== undefined) return answer;
      for (const member of available()) {
        const other = await router.executeOn(member, 'read', 'get', fromMember, callOptions).catch(() => undefined);
        if (other !== undefined) return other;
      }
      throw latestWritesUnavailable(pool, [id]);
    },
    list: (filter, page, callOptions) => read('list', (provider, forwarded) => pendingWrites.list(provider, filter, page, forwarded), callOptions),
    // A member that misses writes is counted through its listing with them merged in; one that misses nothing, from its index.
    aggregateEntities: (filter, callOptions) =>
      read(
        'list',
        (provider, forwarded) =>
          provider.aggregateEntities && tracker.pendingMemoryIds(provider.name).length === 0
            ? provider.aggregateEntities(filter, forwarded)
            : aggregateEntitiesByScan((scanFilter, page, scanOptions) => pendingWrites.list(provider, scanFilter, page, scanOptions), filter, forwarded),
        callOptions,
      ),
    search: (query, callOptions) => read('search', (provider, forwarded) => pendingWrites.search(provider, query, forwarded), callOptions),
    async history(id, callOptions) {
      // A history cannot be replayed from the journal: one from a member that misses a write of the memory would be stale.
      const events = await read('history', (provider, forwarded) => (tracker.pendingFor(provider.name, [id]) ? Promise.resolve(undefined) : provider.history(id, forwarded)), callOptions, [id]);
      if (events === undefined) throw latestWritesUnavailable(pool, [id]);
      return events;
    },
    probe: (callOptions) => read('probe', (provider, forwarded) => provider.probe(forwarded), callOptions),
  };
}
