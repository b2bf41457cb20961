const marker = 'memgate.memory.error';
const symbol = Symbol.for(marker);

/** Options shared by every memgate error. */
export interface MemoryErrorOptions {
  /** Human-readable message; it reaches API callers, so it names the problem without leaking secrets. */
  message: string;
  /** The underlying error, if any. */
  cause?: unknown;
  /** Whether repeating the same call (here or on another provider) may succeed. Decided by the code that creates the error. */
  isRetryable?: boolean;
  /** The provider that raised the error, when known. */
  providerId?: string;
}

/**
 * Base class of every error memgate raises. Check with `MemoryError.isInstance(error)`,
 * never `instanceof`: the `Symbol.for` marker survives duplicate package copies.
 */
export class MemoryError extends Error {
  private readonly [symbol] = true;
  /** Whether repeating the call may succeed. The router decides on this flag only. */
  readonly isRetryable: boolean;
  /** The provider that raised the error, when known. */
  readonly providerId: string | undefined;

  constructor({ message, cause, isRetryable = false, providerId }: MemoryErrorOptions) {
    super(message, { cause });
    this.name = 'MemoryError';
    this.isRetryable = isRetryable;
    this.providerId = providerId;
  }

  /** True for any memgate error, from any copy of `@memgate/core`. */
  static isInstance(error: unknown): error is MemoryError {
    return MemoryError.hasMarker(error, marker);
  }

  /** @internal Checks a `Symbol.for(name)` marker on an object. */
  protected static hasMarker(error: unknown, name: string): boolean {
    return error != null && typeof error === 'object' && Symbol.for(name) in error && (error as Record<symbol, unknown>)[Symbol.for(name)] === true;
  }
}
