import { RateLimitedError } from '@memgate/core';
import { keyQuotaApiNames, type KeyQuota } from './key-quota.js';

const name = 'Security_QuotaExceededError';
const marker = Symbol.for(`memgate.security.error.${name}`);

/** Options of a {@link QuotaExceededError}. */
export interface QuotaExceededErrorOptions {
  /** The quota that refused the write. */
  readonly quota: keyof KeyQuota;
  /** The quota's limit. */
  readonly limit: number;
  /** How much of it is used (memories written today, or stored in the key's scope). */
  readonly used: number;
  /** Memories the refused write would have added. */
  readonly requested: number;
  /** When a retry may succeed (ms): until the next UTC midnight for the daily quota. */
  readonly retryAfterMs: number;
}

/**
 * A key's quota refused a write (HTTP 429, nothing written). It extends core's `RateLimitedError`,
 * so code that only knows core answers 429 with `Retry-After`; code that can say which quota checks
 * {@link QuotaExceededError.isInstance} first. The message names the quota as the API spells it
 * (`quota.memories_per_day`, `quota.stored_memories`).
 */
export class QuotaExceededError extends RateLimitedError {
  private readonly [marker] = true;
  readonly quota: keyof KeyQuota;
  readonly limit: number;
  readonly used: number;
  readonly requested: number;

  constructor({ quota, limit, used, requested, retryAfterMs }: QuotaExceededErrorOptions) {
    const what = quota === 'memoriesPerDay' ? `this key may write ${limit} memories per UTC day and has written ${used} today` : `this key's scope may hold ${limit} memories and holds ${used}`;
    super({ message: `${keyQuotaApiNames[quota]}: ${what}; the request would add ${requested}`, retryAfterMs, isRetryable: false });
    this.name = name;
    this.quota = quota;
    this.limit = limit;
    this.used = used;
    this.requested = requested;
  }

  /** True for a {@link QuotaExceededError} from any copy of `@memgate/security`. */
  static override isInstance(error: unknown): error is QuotaExceededError {
    return error != null && typeof error === 'object' && (error as Record<symbol, unknown>)[marker] === true;
  }
}
