import type { MemoryProviderV1, MemoryProviderV1CallOptions } from '@memgate/core';

/**
 * Caps every call's deadline at `timeoutMs` from its start (a provider's configured `timeout`), so a
 * pool member answers or fails within its own limit inside the request's deadline. The provider
 * enforces the deadline (core's contract); this only passes a tighter one. `close` is not forwarded:
 * the instance belongs to the registry.
 */
export function withCallTimeout(provider: MemoryProviderV1, timeoutMs: number): MemoryProviderV1 {
  const cap = <Options extends MemoryProviderV1CallOptions | undefined>(options: Options): MemoryProviderV1CallOptions => {
    const limit = Date.now() + timeoutMs;
    return { ...options, deadline: Math.min(options?.deadline ?? limit, limit) };
  };
  return {
    specificationVersion: 'v1',
    name: provider.name,
    type: provider.type,
    capabilities: provider.capabilities,
    add: (records, options) => provider.add(records, cap(options)),
    get: (id, options) => provider.get(id, cap(options)),
    list: (filter, page, options) => provider.list(filter, page, cap(options)),
    search: (query, options) => provider.search(query, cap(options)),
    update: (id, patch, options) => provider.update(id, patch, cap(options)),
    delete: (id, options) => provider.delete(id, cap(options)),
    deleteAll: (scope, options) => provider.deleteAll(scope, cap(options)),
    history: (id, options) => provider.history(id, cap(options)),
    probe: (options) => provider.probe(cap(options)),
    close: async () => undefined,
  };
}
