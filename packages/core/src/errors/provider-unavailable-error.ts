import { MemoryError, type MemoryErrorOptions } from './memory-error.js';

const name = 'Memory_ProviderUnavailableError';
const marker = `memgate.memory.error.${name}`;
const symbol = Symbol.for(marker);

/** The provider could not be reached or answered with a server error (connection refused or reset, 5xx). Retryable by default. */
export class ProviderUnavailableError extends MemoryError {
  private readonly [symbol] = true;

  constructor(options: MemoryErrorOptions) {
    super({ isRetryable: true, ...options });
    this.name = name;
  }

  /** True for a {@link ProviderUnavailableError} from any copy of `@memgate/core`. */
  static override isInstance(error: unknown): error is ProviderUnavailableError {
    return MemoryError.hasMarker(error, marker);
  }
}
