import type { MemoryProviderV1 } from '../v1/memory-provider-v1.js';

type Operation = Exclude<keyof MemoryProviderV1, 'specificationVersion' | 'type' | 'name' | 'capabilities' | 'close' | 'aggregateEntities'>;
type ListEntities = NonNullable<MemoryProviderV1['aggregateEntities']>;

/** A hook around one operation: it gets the wrapped provider's operation (`next`) and the call's own arguments. */
type OperationHook<Name extends Operation> = (next: MemoryProviderV1[Name], ...args: Parameters<MemoryProviderV1[Name]>) => ReturnType<MemoryProviderV1[Name]>;

/**
 * Behaviour around a provider's operations (tenant scope, a call timeout, usage counting…), in the
 * shape of the Vercel AI SDK's language model middleware. A middleware overrides only the
 * operations it cares about; the others pass through unchanged. Apply it with `wrapMemoryProvider`.
 */
export type MemoryProviderV1Middleware = {
  /** Informative, for logs and debugging. */
  readonly name?: string;
  /** Defaults to closing the wrapped provider. */
  readonly close?: (next: MemoryProviderV1['close']) => Promise<void>;
  /**
   * The optional entity listing. A middleware that hooks `list` but not this one hides it (the caller then
   * lists through `list`, which it does see): a read it restricts must not pass around it.
   */
  readonly aggregateEntities?: (next: ListEntities, ...args: Parameters<ListEntities>) => ReturnType<ListEntities>;
} & { readonly [Name in Operation]?: OperationHook<Name> };

/**
 * A middleware, or a function that makes one for the provider it wraps: for behaviour that needs
 * other operations than the one it hooks (a tenant check reads the memory before it is deleted).
 */
export type MemoryProviderV1MiddlewareEntry = MemoryProviderV1Middleware | ((provider: MemoryProviderV1) => MemoryProviderV1Middleware);
