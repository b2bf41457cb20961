import type { MemoryProviderV1, MemoryProviderV1Middleware } from '@memgate/core';
import type { InstanceUsage } from './instance-usage.js';

/**
 * Counts every call against the registry's instance, so that an instance the registry retires is
 * closed only once the pool's calls on it have ended; `close` is not forwarded, since the instance
 * belongs to the registry.
 */
export function instanceUsageMiddleware(usage: InstanceUsage, instance: MemoryProviderV1): MemoryProviderV1Middleware {
  const track = <Result>(work: () => Promise<Result>): Promise<Result> => usage.track(instance, work);
  return {
    name: 'instance-usage',
    add: (next, records, options) => track(() => next(records, options)),
    get: (next, id, options) => track(() => next(id, options)),
    list: (next, filter, page, options) => track(() => next(filter, page, options)),
    aggregateEntities: (next, filter, options) => track(() => next(filter, options)),
    search: (next, query, options) => track(() => next(query, options)),
    update: (next, id, patch, options) => track(() => next(id, patch, options)),
    delete: (next, id, options) => track(() => next(id, options)),
    deleteAll: (next, scope, options) => track(() => next(scope, options)),
    history: (next, id, options) => track(() => next(id, options)),
    probe: (next, options) => track(() => next(options)),
    close: async () => undefined,
  };
}
