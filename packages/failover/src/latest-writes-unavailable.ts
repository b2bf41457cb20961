import { ProviderUnavailableError } from '@memgate/core';

/**
 * The error of a request on memories whose latest acknowledged writes are held only by members that
 * cannot serve now (with `writeQuorum` 1, a write acknowledged by one member that died before the
 * replicator copied it). Retryable: once the holder is back, or the replicator has delivered, it succeeds.
 * Answering from a member that misses those writes instead would be a stale read, or a false 404.
 */
export function latestWritesUnavailable(pool: string, memoryIds: readonly string[], cause?: unknown): ProviderUnavailableError {
  const shown = memoryIds.slice(0, 3).join(', ') + (memoryIds.length > 3 ? `, … (${memoryIds.length})` : '');
  return new ProviderUnavailableError({
    message: `pool ${pool}: the latest writes of memory ${shown} are held only by members that cannot serve now; retry shortly`,
    providerId: pool,
    retryAfterMs: 1000,
    ...(cause === undefined ? {} : { cause }),
  });
}
