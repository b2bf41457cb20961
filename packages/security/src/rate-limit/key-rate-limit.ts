import { ValidationError } from '@memgate/core';

/** A key's own rate limit: requests per minute, and the burst it may spend at once. */
export interface KeyRateLimit {
  /** Requests per minute, a whole number from 1. */
  readonly rpm: number;
  /** Requests at once before the per-minute pace applies, a whole number from 1. */
  readonly burst: number;
}

/**
 * Asserts a key's rate limit is whole numbers from 1.
 * @throws ValidationError naming `rateLimit.rpm` or `rateLimit.burst`
 */
export function validateKeyRateLimit(limit: KeyRateLimit): void {
  for (const field of ['rpm', 'burst'] as const) {
    if (!Number.isInteger(limit[field]) || limit[field] < 1) throw new ValidationError({ message: `rateLimit.${field} must be a whole number from 1`, field: `rateLimit.${field}` });
  }
}
