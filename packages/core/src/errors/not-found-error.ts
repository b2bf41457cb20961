import { MemoryError, type MemoryErrorOptions } from './memory-error.js';

const name = 'Memory_NotFoundError';
const marker = `memgate.memory.error.${name}`;
const symbol = Symbol.for(marker);

/** The memory (or other object) named by the caller does not exist. Never retryable. */
export class NotFoundError extends MemoryError {
  private readonly [symbol] = true;

  constructor(options: MemoryErrorOptions) {
    super({ isRetryable: false, ...options });
    this.name = name;
  }

  /** True for a {@link NotFoundError} from any copy of `@memgate/core`. */
  static override isInstance(error: unknown): error is NotFoundError {
    return MemoryError.hasMarker(error, marker);
  }
}
