import type { MemoryProviderV1, MemoryProviderV1CallOptions } from '@memgate/core';
import type { InstanceUsage } from './instance-usage.js';

/**
 * Caps every call's deadline at `timeoutMs` from its start (a provider's configured `timeout`), so a
 * pool member answers or fails within its own limit inside the request's deadline. The provider
 * enforces the deadline (core's contract); this only passes a tighter one. With `usage`, every call is
 * counted against the instance, so the registry's retired instances close only once idle. `close` is
 * not forwarded: the instance belongs to the registry.
 */
export function withCallTimeout(provider: MemoryProviderV1, timeoutMs: number, usage?: InstanceUsage): MemoryProviderV1 {
  const cap = <Options extends MemoryProviderV1CallOptions | undefined>(options: Options): MemoryProviderV1CallOptions => {
    const limit = Date.now() + timeoutMs;
    return { ...options, deadline: Math.min(options?.deadline ?? limit, limit) };
  };
  const tracked = <Result>(work: () => Promise<Result>): Promise<Result> => (usage ? usage.track(provider, work) : work());
  return {
    specificationVersion: 'v1',
    name: provider.name,
    type: provider.type,
    capabilities: provider.capabilities,
    add: (records, options) => tracked(() => provider.add(records, cap(options))),
    get: (id, options) => tracked(() => provider.get(id, cap(options))),
    list: (filter, page, options) => tracked(() => provider.list(filter, page, cap(options))),
    search: (query, options) => tracked(() => provider.search(query, cap(options))),
    update: (id, patch, options) => tracked(() => provider.update(id, patch, cap(options))),
    delete: (id, options) => tracked(() => provider.delete(id, cap(options))),
    deleteAll: (scope, options) => tracked(() => provider.deleteAll(scope, cap(options))),
    history: (id, options) => tracked(() => provider.history(id, cap(options))),
    probe: (options) => tracked(() => provider.probe(cap(options))),
    close: async () => undefined,
  };
}
