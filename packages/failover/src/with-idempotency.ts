import { createHash } from 'node:crypto';
import { ConflictError, type JsonValue } from '@memgate/core';
import type { FailoverCallOptions } from './failover-call-options.js';
import type { IdempotencyStore } from './idempotency-store.js';

/** Runs writes under idempotency keys. */
export type IdempotentRunner = <T>(operation: string, request: unknown, options: FailoverCallOptions | undefined, write: () => Promise<T>) => Promise<T>;

/**
 * Wraps writes so that a call repeated with the same `idempotencyKey` (per principal) returns the first
 * call's result and writes nothing again, also while the first call is still running. A key reused for
 * a different request is refused. Failed calls keep no record, so a retry after a failure writes.
 * @throws ConflictError when the key was used for a different request
 */
export function createIdempotentRunner(store: IdempotencyStore, ttlMs: number): IdempotentRunner {
  const inFlight = new Map<string, { requestHash: string; result: Promise<unknown> }>();
  return async (operation, request, options, write) => {
    const key = options?.idempotencyKey;
    if (key === undefined) return write();
    const principal = options?.principal?.id ?? '';
    const requestHash = createHash('sha256').update(JSON.stringify([operation, request])).digest('hex');
    const slot = `${principal}\u0000${key}`;
    const refuse = (): never => {
      throw new ConflictError({ message: `idempotency key "${key}" was already used for a different request` });
    };
    const running = inFlight.get(slot);
    if (running) return running.requestHash === requestHash ? (running.result as Promise<Awaited<ReturnType<typeof write>>>) : refuse();
    const result = (async () => {
      const kept = await store.get(principal, key);
      if (kept) return kept.requestHash === requestHash ? (kept.result === null ? undefined : kept.result) : refuse();
      const written = await write();
      await store.put(principal, key, { requestHash, result: (written ?? null) as JsonValue }, ttlMs);
      return written;
    })();
    inFlight.set(slot, { requestHash, result });
    try {
      return (await result) as Awaited<ReturnType<typeof write>>;
    } finally {
      inFlight.delete(slot);
    }
  };
}
