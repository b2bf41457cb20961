import type { MemoryProviderV1 } from '../v1/memory-provider-v1.js';
import type { MemoryProviderV1Middleware, MemoryProviderV1MiddlewareEntry } from './memory-provider-middleware.js';

const operations = ['add', 'get', 'list', 'search', 'update', 'delete', 'deleteAll', 'history', 'probe', 'close'] as const;

/**
 * Wraps a provider in middleware. With a list, the first middleware sees each call first (it is
 * the outermost). An entry may be a function of the provider it wraps, for a middleware that calls
 * other operations than the one it hooks. The result is a provider like any other: same name, type, capabilities and
 * contract; its methods need no `this`, so they can be passed around on their own.
 *
 * @example
 * const scoped = wrapMemoryProvider(pool, [tenantScopeMiddleware(), callTimeoutMiddleware(2000)]);
 */
export function wrapMemoryProvider(provider: MemoryProviderV1, middleware: MemoryProviderV1MiddlewareEntry | readonly MemoryProviderV1MiddlewareEntry[]): MemoryProviderV1 {
  const layers: readonly MemoryProviderV1MiddlewareEntry[] = Array.isArray(middleware) ? middleware : [middleware as MemoryProviderV1MiddlewareEntry];
  return [...layers].reverse().reduce<MemoryProviderV1>((inner, layer) => wrapOnce(inner, typeof layer === 'function' ? layer(inner) : layer), provider);
}

function wrapOnce(inner: MemoryProviderV1, layer: MemoryProviderV1Middleware): MemoryProviderV1 {
  const wrapped: Record<string, unknown> = {
    specificationVersion: 'v1',
    name: inner.name,
    type: inner.type,
    capabilities: inner.capabilities,
  };
  for (const operation of operations) {
    const next = (inner[operation] as (...args: unknown[]) => unknown).bind(inner);
    const hook = layer[operation] as ((next: unknown, ...args: unknown[]) => unknown) | undefined;
    wrapped[operation] = hook ? (...args: unknown[]) => hook(next, ...args) : next;
  }
  // The optional entity listing passes a layer that hooks it, or one that restricts no listing.
  const aggregateEntities = inner.aggregateEntities?.bind(inner);
  if (aggregateEntities && (layer.aggregateEntities || !layer.list)) wrapped.aggregateEntities = layer.aggregateEntities ? (...args: Parameters<typeof aggregateEntities>) => layer.aggregateEntities!(aggregateEntities, ...args) : aggregateEntities;
  return wrapped as unknown as MemoryProviderV1;
}
