import type { MemoryFilter, MemoryProviderV1CallOptions, MemoryProviderV1MiddlewareEntry } from '@memgate/core';
import type { SecurityPrincipal } from '../security-principal.js';
import { msUntilNextUtcDay, utcDay, type QuotaCounterStore } from './quota-counter-store.js';
import { QuotaExceededError } from './quota-exceeded-error.js';

/** Options of {@link keyQuotaMiddleware}. */
export interface KeyQuotaMiddlewareOptions {
  /** The daily counts (the state store's `quotaCounters` to share them between replicas). */
  readonly counters: QuotaCounterStore;
  /** Clock in epoch ms; injectable for tests. Default `Date.now`. */
  readonly now?: () => number;
  /**
   * The `Retry-After` of a `storedMemories` refusal (ms). Time alone frees nothing there (deleting
   * memories does); this only keeps clients from retrying at once. Default one hour.
   */
  readonly storedRetryAfterMs?: number;
  /** Told when giving back a reservation fails (the day's count then stays too high). Default `console.warn`. */
  readonly onError?: (error: unknown) => void;
}

const everything: MemoryFilter = { type: 'and', filters: [] };

/**
 * Enforces the caller's key quotas (`principal.quota`) on `add`, before anything is written:
 *
 * - `storedMemories`: the memories the wrapped provider lists for the caller (total of a one-item
 *   page, under the caller's tenant scope when the wrapped provider is scoped) plus the new ones
 *   must stay within it. Checked, not reserved: concurrent adds of one key may together pass it by
 *   what they add.
 * - `memoriesPerDay`: the new records are reserved on the key's count for the UTC day in one atomic
 *   step, then the add runs; what the add did not store (it threw, or stored fewer) is given back.
 *
 * A refusal throws {@link QuotaExceededError} (429) and writes nothing. Calls without a quota pass
 * through untouched. Place it outside the tenant scope middleware so its listing is scoped.
 * @example wrapMemoryProvider(scoped, keyQuotaMiddleware({ counters: createInMemoryQuotaCounterStore() }))
 */
export function keyQuotaMiddleware({ counters, now = Date.now, storedRetryAfterMs = 3_600_000, onError = (error) => console.warn('key quota', error) }: KeyQuotaMiddlewareOptions): MemoryProviderV1MiddlewareEntry {
  return (inner) => ({
    name: 'key-quota',
    add: async (next, records, options) => {
      const principal = options?.principal as SecurityPrincipal | undefined;
      const quota = principal?.quota;
      const requested = records.length;
      if (!principal || !quota || requested === 0) return next(records, options);
      if (quota.storedMemories !== undefined) {
        const { total } = await inner.list(everything, { page: 1, pageSize: 1 }, readOptions(options));
        if (total + requested > quota.storedMemories) throw new QuotaExceededError({ quota: 'storedMemories', limit: quota.storedMemories, used: total, requested, retryAfterMs: storedRetryAfterMs });
      }
      if (quota.memoriesPerDay === undefined) return next(records, options);
      const at = now();
      const day = utcDay(at);
      const keyId = principal.keyId ?? principal.id;
      const reservation = await counters.reserve(keyId, day, requested, quota.memoriesPerDay);
      if (!reservation.allowed) throw new QuotaExceededError({ quota: 'memoriesPerDay', limit: quota.memoriesPerDay, used: reservation.count, requested, retryAfterMs: msUntilNextUtcDay(at) });
      let stored = 0;
      try {
        const added = await next(records, options);
        stored = added.length;
        return added;
      } finally {
        // Only what was stored counts; a failed (or timed-out) add gives its reservation back.
        if (stored < requested) await counters.release(keyId, day, requested - stored).catch(onError);
      }
    },
  });
}

/** The call options of the count: the caller, deadline and signal, never a write's idempotency key. */
function readOptions(options: MemoryProviderV1CallOptions | undefined): MemoryProviderV1CallOptions {
  return {
    ...(options?.principal ? { principal: options.principal } : {}),
    ...(options?.signal ? { signal: options.signal } : {}),
    ...(options?.deadline !== undefined ? { deadline: options.deadline } : {}),
    ...(options?.requestId !== undefined ? { requestId: options.requestId } : {}),
  };
}
