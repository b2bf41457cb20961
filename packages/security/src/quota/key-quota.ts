import { ValidationError } from '@memgate/core';

/** A key's optional quotas on what it writes. Absent members are not limited. */
export interface KeyQuota {
  /** Memories the key may write per UTC day, a whole number from 1; counted across replicas. */
  readonly memoriesPerDay?: number;
  /** Memories its tenant scope may hold before the key's adds are refused, a whole number from 1. */
  readonly storedMemories?: number;
}

/** The quota names as the API spells them, e.g. in a 429's `quota` field. */
export const keyQuotaApiNames = { memoriesPerDay: 'quota.memories_per_day', storedMemories: 'quota.stored_memories' } as const satisfies Record<keyof KeyQuota, string>;

/**
 * Asserts each quota given is a whole number from 1 (and at least one is given).
 * @throws ValidationError naming `quota.memoriesPerDay`, `quota.storedMemories` or `quota`
 */
export function validateKeyQuota(quota: KeyQuota): void {
  if (quota.memoriesPerDay === undefined && quota.storedMemories === undefined) {
    throw new ValidationError({ message: 'quota must set memoriesPerDay or storedMemories', field: 'quota' });
  }
  for (const field of ['memoriesPerDay', 'storedMemories'] as const) {
    const value = quota[field];
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 1)) throw new ValidationError({ message: `quota.${field} must be a whole number from 1`, field: `quota.${field}` });
  }
}
