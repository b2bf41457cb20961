import type { MemoryProviderV1 } from '@memgate/core';

/** Counts the calls running on each provider instance, so a retired instance is closed only when idle. */
export interface InstanceUsage {
  /** Runs `work` counted against `instance`. */
  track<Result>(instance: MemoryProviderV1, work: () => Promise<Result>): Promise<Result>;
  /** Closes `instance` once no tracked call runs on it (at once when idle). Errors of `close` are swallowed: the instance is gone either way. */
  retire(instance: MemoryProviderV1): Promise<void>;
  /** Calls running on `instance` now. */
  inFlight(instance: MemoryProviderV1): number;
}

/**
 * Creates an {@link InstanceUsage}. The registry owns provider instances and replaces them on
 * configure, deactivate and delete; with `retireInstance: usage.retire` it hands them here instead of
 * closing them under calls the pool is still making.
 */
export function createInstanceUsage(): InstanceUsage {
  const running = new Map<MemoryProviderV1, number>();
  const idle = new Map<MemoryProviderV1, () => void>();
  return {
    async track(instance, work) {
      running.set(instance, (running.get(instance) ?? 0) + 1);
      try {
        return await work();
      } finally {
        const left = (running.get(instance) ?? 1) - 1;
        if (left > 0) running.set(instance, left);
        else {
          running.delete(instance);
          idle.get(instance)?.();
        }
      }
    },
    async retire(instance) {
      if (running.has(instance)) await new Promise<void>((resolve) => idle.set(instance, resolve));
      idle.delete(instance);
      await instance.close().catch(() => undefined);
    },
    inFlight: (instance) => running.get(instance) ?? 0,
  };
}
