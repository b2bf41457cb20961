import { ConflictError, NotFoundError, type MemoryProviderV1, type MemoryProviderV1CallOptions, type MemoryProviderV1NewRecord, type MemoryProviderV1Patch } from '@memgate/core';
import { patchAlreadyApplied } from './patch-already-applied.js';
import type { JournalEntry } from './write-journal.js';

/**
 * Applies journal entries to one member idempotently, in the given order:
 * - add: the same id and content again returns the stored record; a `ConflictError` means the member
 *   already holds a later version of that memory, so the add counts as applied;
 * - update: skipped when the member's copy is as new or newer (`updatedAt`), so a late update never
 *   overwrites a newer one; a missing memory is a `NotFoundError` (the member needs a resync);
 * - delete: a missing memory counts as applied.
 * Consecutive adds go in one `add` call (all or none), and one at a time if that conflicts.
 * @throws the member's error for the first entry that could not be applied (entries before it were)
 */
export async function applyJournalEntries(provider: MemoryProviderV1, entries: readonly JournalEntry[], options: MemoryProviderV1CallOptions): Promise<void> {
  for (let index = 0; index < entries.length; ) {
    let end = index;
    const ids = new Set<string>();
    while (end < entries.length && entries[end]!.op === 'add' && !ids.has(entries[end]!.memoryId)) ids.add(entries[end++]!.memoryId);
    if (end - index > 1) {
      try {
        await provider.add(
          entries.slice(index, end).map((entry) => entry.payload as MemoryProviderV1NewRecord),
          options,
        );
        index = end;
        continue;
      } catch (error) {
        if (!ConflictError.isInstance(error)) throw error;
      }
    }
    await applyJournalEntry(provider, entries[index]!, options);
    index += 1;
  }
}

/** Applies one journal entry idempotently (see {@link applyJournalEntries}). */
export async function applyJournalEntry(provider: MemoryProviderV1, entry: JournalEntry, options: MemoryProviderV1CallOptions): Promise<void> {
  if (entry.op === 'add') {
    try {
      await provider.add([entry.payload as MemoryProviderV1NewRecord], options);
    } catch (error) {
      if (!ConflictError.isInstance(error)) throw error;
    }
    return;
  }
  if (entry.op === 'delete') {
    try {
      await provider.delete(entry.memoryId, options);
    } catch (error) {
      if (!NotFoundError.isInstance(error)) throw error;
    }
    return;
  }
  const patch = entry.payload as MemoryProviderV1Patch;
  const current = await provider.get(entry.memoryId, options);
  if (!current) throw new NotFoundError({ message: `memory ${entry.memoryId} is missing on ${provider.name}: an update cannot be replayed (resync the member)`, providerId: provider.name });
  if (patchAlreadyApplied(current, patch)) return;
  await provider.update(entry.memoryId, patch, options);
}
