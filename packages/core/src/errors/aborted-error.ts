import { MemoryError, type MemoryErrorOptions } from './memory-error.js';

const name = 'Memory_AbortedError';
const marker = `memgate.memory.error.${name}`;
const symbol = Symbol.for(marker);

/** The caller aborted the call through its `AbortSignal`. */
export class AbortedError extends MemoryError {
  private readonly [symbol] = true;

  constructor(options: MemoryErrorOptions) {
    super({ isRetryable: false, ...options });
    this.name = name;
  }

  /** True for a {@link AbortedError} from any copy of `@memgate/core`. */
  static override isInstance(error: unknown): error is AbortedError {
    return MemoryError.hasMarker(error, marker);
  }
}
