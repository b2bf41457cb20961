import { MemoryError, type MemoryErrorOptions } from './memory-error.js';

const name = 'Memory_ProviderTimeoutError';
const marker = `memgate.memory.error.${name}`;
const symbol = Symbol.for(marker);

/** The provider did not answer within the call's deadline or per-attempt timeout. Retryable by default. */
export class ProviderTimeoutError extends MemoryError {
  private readonly [symbol] = true;

  constructor(options: MemoryErrorOptions) {
    super({ isRetryable: true, ...options });
    this.name = name;
  }

  /** True for a {@link ProviderTimeoutError} from any copy of `@memgate/core`. */
  static override isInstance(error: unknown): error is ProviderTimeoutError {
    return MemoryError.hasMarker(error, marker);
  }
}
