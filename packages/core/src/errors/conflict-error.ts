import { MemoryError, type MemoryErrorOptions } from './memory-error.js';

const name = 'Memory_ConflictError';
const marker = `memgate.memory.error.${name}`;
const symbol = Symbol.for(marker);

/** The write conflicts with the current state (a duplicate caller-chosen id, a stale version). */
export class ConflictError extends MemoryError {
  private readonly [symbol] = true;

  constructor(options: MemoryErrorOptions) {
    super({ isRetryable: false, ...options });
    this.name = name;
  }

  /** True for a {@link ConflictError} from any copy of `@memgate/core`. */
  static override isInstance(error: unknown): error is ConflictError {
    return MemoryError.hasMarker(error, marker);
  }
}
