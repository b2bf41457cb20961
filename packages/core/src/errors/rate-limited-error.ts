import { MemoryError, type MemoryErrorOptions } from './memory-error.js';

const name = 'Memory_RateLimitedError';
const marker = `memgate.memory.error.${name}`;
const symbol = Symbol.for(marker);

/** Options of a {@link RateLimitedError}. */
export interface RateLimitedErrorOptions extends MemoryErrorOptions {
  /** How long to wait before trying this provider again, in milliseconds (from `Retry-After`), when known. */
  retryAfterMs?: number;
}

/** The provider (or memgate's own limiter) refused the call for rate. Retryable elsewhere; cools the provider down for `retryAfterMs`. */
export class RateLimitedError extends MemoryError {
  private readonly [symbol] = true;
  /** Milliseconds to wait before retrying the same provider, when known. */
  readonly retryAfterMs: number | undefined;

  constructor({ retryAfterMs, ...options }: RateLimitedErrorOptions) {
    super({ isRetryable: true, ...options });
    this.name = name;
    this.retryAfterMs = retryAfterMs;
  }

  /** True for a {@link RateLimitedError} from any copy of `@memgate/core`. */
  static override isInstance(error: unknown): error is RateLimitedError {
    return MemoryError.hasMarker(error, marker);
  }
}
