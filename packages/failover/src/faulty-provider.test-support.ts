import { runWithinCall, type MemoryProviderV1 } from '@memgate/core';
import { createInMemoryMemoryProvider } from '@memgate/testkit';

/** What a {@link withFaults} wrapper does to each call while set. */
export interface FaultSwitch {
  /** Called per call: the error it returns is thrown; `undefined` lets the call through. */
  error?: (() => Error | undefined) | undefined;
  /** Added latency in ms, honouring the call's signal. */
  delayMs?: number;
  /** Never answers (until the call's signal aborts). */
  hang?: boolean;
  /** Calls that reached the wrapped provider. */
  calls: number;
}

/** Wraps a real provider so tests can make it fail with core errors, slow down or hang. Test support only. */
export function withFaults(provider: MemoryProviderV1): { provider: MemoryProviderV1; faults: FaultSwitch } {
  const faults: FaultSwitch = { calls: 0 };
  const wrap =
    <A extends unknown[], R>(operation: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      faults.calls += 1;
      const options = args.at(-1) as Parameters<MemoryProviderV1['get']>[1];
      return runWithinCall(options, provider.name, async (signal) => {
        if (faults.hang) await new Promise((resolve) => signal.addEventListener('abort', resolve));
        if (faults.delayMs) await new Promise((resolve) => setTimeout(resolve, faults.delayMs));
        const error = faults.error?.();
        if (error) throw error;
        return operation(...args);
      });
    };
  const wrapped: MemoryProviderV1 = {
    specificationVersion: 'v1',
    type: provider.type,
    name: provider.name,
    capabilities: provider.capabilities,
    add: wrap((records, options) => provider.add(records, options)),
    get: wrap((id, options) => provider.get(id, options)),
    list: wrap((filter, page, options) => provider.list(filter, page, options)),
    search: wrap((query, options) => provider.search(query, options)),
    update: wrap((id, patch, options) => provider.update(id, patch, options)),
    delete: wrap((id, options) => provider.delete(id, options)),
    deleteAll: wrap((scope, options) => provider.deleteAll(scope, options)),
    history: wrap((id, options) => provider.history(id, options)),
    probe: wrap((options) => provider.probe(options)),
    close: () => provider.close(),
  };
  return { provider: wrapped, faults };
}

/** Real in-memory providers named `names`, each behind a fault switch, in priority order. Test support only. */
export function faultyMembersOf(names: readonly string[]): { providers: { provider: MemoryProviderV1; priority: number }[]; faults: Record<string, FaultSwitch>; members: Record<string, MemoryProviderV1> } {
  const faults: Record<string, FaultSwitch> = {};
  const members: Record<string, MemoryProviderV1> = {};
  const providers = names.map((name, index) => {
    const real = createInMemoryMemoryProvider({ name });
    const wrapped = withFaults(real);
    faults[name] = wrapped.faults;
    members[name] = real;
    return { provider: wrapped.provider, priority: index };
  });
  return { providers, faults, members };
}
