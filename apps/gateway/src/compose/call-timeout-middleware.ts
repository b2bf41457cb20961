import type { MemoryProviderV1CallOptions, MemoryProviderV1Middleware } from '@memgate/core';

/**
 * Caps every call's deadline at `timeoutMs` from its start (a provider's configured `timeout`), so a
 * pool member answers or fails within its own limit inside the request's deadline. The provider
 * enforces the deadline (core's contract); this only passes a tighter one.
 */
export function callTimeoutMiddleware(timeoutMs: number): MemoryProviderV1Middleware {
  const cap = (options: MemoryProviderV1CallOptions | undefined): MemoryProviderV1CallOptions => {
    const limit = Date.now() + timeoutMs;
    return { ...options, deadline: Math.min(options?.deadline ?? limit, limit) };
  };
  return {
    name: 'call-timeout',
    add: (next, records, options) => next(records, cap(options)),
    get: (next, id, options) => next(id, cap(options)),
    list: (next, filter, page, options) => next(filter, page, cap(options)),
    aggregateEntities: (next, filter, options) => next(filter, cap(options)),
    search: (next, query, options) => next(query, cap(options)),
    update: (next, id, patch, options) => next(id, patch, cap(options)),
    delete: (next, id, options) => next(id, cap(options)),
    deleteAll: (next, scope, options) => next(scope, cap(options)),
    history: (next, id, options) => next(id, cap(options)),
    probe: (next, options) => next(cap(options)),
  };
}
