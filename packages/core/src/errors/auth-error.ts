import { MemoryError, type MemoryErrorOptions } from './memory-error.js';

const name = 'Memory_AuthError';
const marker = `memgate.memory.error.${name}`;
const symbol = Symbol.for(marker);

/** Credentials were missing or rejected. From a provider this is a configuration fault: it alerts rather than trips a breaker. */
export class AuthError extends MemoryError {
  private readonly [symbol] = true;

  constructor(options: MemoryErrorOptions) {
    super({ isRetryable: false, ...options });
    this.name = name;
  }

  /** True for a {@link AuthError} from any copy of `@memgate/core`. */
  static override isInstance(error: unknown): error is AuthError {
    return MemoryError.hasMarker(error, marker);
  }
}
