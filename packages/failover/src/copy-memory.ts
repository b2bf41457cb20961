import { ConflictError, pickScope, type MemoryRecord } from '@memgate/core';
import { memoryContentHash } from './memory-content-hash.js';
import type { PoolReplication } from './pool-replication.js';

/** What {@link copyMemory} did on the target. */
export type CopyOutcome = 'added' | 'updated' | 'unchanged';

/**
 * Makes a member hold `record` as given: adds it with its id and creation time, or, when the member has
 * another version, overwrites it unless the member's copy is newer (`updatedAt`) and `force` is off.
 * @throws the member's error
 */
export async function copyMemory(replication: PoolReplication, member: string, record: MemoryRecord, force = false): Promise<CopyOutcome> {
  try {
    const [stored] = await replication.executeOn(member, (provider, options) => provider.add([{ ...pickScope(record), id: record.id, memory: record.memory, metadata: record.metadata, createdAt: record.createdAt }], options));
    // Added, or already there as given (an add of the same id and content returns the stored record).
    if (stored && memoryContentHash(stored) === memoryContentHash(record)) return 'added';
  } catch (error) {
    if (!ConflictError.isInstance(error)) throw error;
  }
  const held = await replication.executeOn(member, (provider, options) => provider.get(record.id, options));
  if (held && memoryContentHash(held) === memoryContentHash(record)) return 'unchanged';
  if (held && !force && Date.parse(held.updatedAt) > Date.parse(record.updatedAt)) return 'unchanged';
  await replication.executeOn(member, (provider, options) => provider.update(record.id, { memory: record.memory, metadata: record.metadata, updatedAt: record.updatedAt }, options));
  return 'updated';
}
