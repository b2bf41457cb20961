import { MemoryError, type MemoryErrorOptions } from './memory-error.js';

const name = 'Memory_ProviderUnavailableError';
const marker = `memgate.memory.error.${name}`;
const symbol = Symbol.for(marker);

/** Options of a {@link ProviderUnavailableError}. */
export interface ProviderUnavailableErrorOptions extends MemoryErrorOptions {
  /** When known, how long (milliseconds) until the provider or pool may accept calls again (e.g. every breaker open); the gateway sends it as `Retry-After`. */
  retryAfterMs?: number;
}

/** The provider could not be reached or answered with a server error (connection refused or reset, 5xx). Retryable by default. */
export class ProviderUnavailableError extends MemoryError {
  private readonly [symbol] = true;
  /** Milliseconds until a retry may succeed, when known (e.g. a failover pool whose breakers are all open). */
  readonly retryAfterMs: number | undefined;

  constructor({ retryAfterMs, ...options }: ProviderUnavailableErrorOptions) {
    super({ isRetryable: true, ...options });
    this.name = name;
    this.retryAfterMs = retryAfterMs;
  }

  /** True for a {@link ProviderUnavailableError} from any copy of `@memgate/core`. */
  static override isInstance(error: unknown): error is ProviderUnavailableError {
    return MemoryError.hasMarker(error, marker);
  }
}
