import { jsonEqual, type MemoryProviderV1Patch, type MemoryRecord } from '@memgate/core';

/**
 * Whether replaying `patch` onto `current` must change nothing: the copy is newer (`updatedAt`), or it is
 * the same instant with the same content (this patch, applied before). Same instant with other content is
 * two updates in one millisecond: applied, in journal order. A patch without `updatedAt` always applies.
 */
export function patchAlreadyApplied(current: MemoryRecord, patch: MemoryProviderV1Patch): boolean {
  if (patch.updatedAt === undefined) return false;
  const held = Date.parse(current.updatedAt);
  const replayed = Date.parse(patch.updatedAt);
  if (held > replayed) return true;
  return held === replayed && (patch.memory === undefined || patch.memory === current.memory) && (patch.metadata === undefined || jsonEqual(patch.metadata, current.metadata));
}
