import type { MemoryProviderV1, MemoryProviderV1CallOptions, MemoryProviderV1Patch } from '@memgate/core';
import type { Mem0Entity } from './mem0-backend.js';

export type { Mem0Entity } from './mem0-backend.js';

/** One change of a {@link Mem0MemoryProvider.batchUpdate}: a canonical id and a patch. */
export interface Mem0BatchUpdateItem extends MemoryProviderV1Patch {
  readonly id: string;
}

/**
 * The mem0 provider: `MemoryProviderV1` plus the mem0 operations that have no place in the contract
 * (entities, batches), so a gateway backed by mem0 can serve mem0's own routes. All ids are canonical.
 */
export interface Mem0MemoryProvider extends MemoryProviderV1 {
  readonly type: 'mem0';
  /** Every user, agent, app and run that owns memories (mem0's `users()`). */
  listEntities(options?: MemoryProviderV1CallOptions): Promise<Mem0Entity[]>;
  /**
   * Updates up to 1000 memories; on the Platform in one `PUT /v1/batch/`.
   * @throws NotFoundError when one id is unknown (nothing is changed then)
   */
  batchUpdate(items: readonly Mem0BatchUpdateItem[], options?: MemoryProviderV1CallOptions): Promise<{ updated: number }>;
  /**
   * Deletes up to 1000 memories; on the Platform in one `DELETE /v1/batch/`.
   * @throws NotFoundError when one id is unknown (nothing is deleted then)
   */
  batchDelete(ids: readonly string[], options?: MemoryProviderV1CallOptions): Promise<{ deleted: number }>;
}
