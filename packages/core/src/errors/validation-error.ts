import { MemoryError, type MemoryErrorOptions } from './memory-error.js';

const name = 'Memory_ValidationError';
const marker = `memgate.memory.error.${name}`;
const symbol = Symbol.for(marker);

/** Options of a {@link ValidationError}. */
export interface ValidationErrorOptions extends MemoryErrorOptions {
  /** The path of the offending input, e.g. `filters.AND[1].colour` or `messages[0].content`. */
  field?: string;
}

/** The caller's input is invalid. The message names the field and the reason. Never retryable. */
export class ValidationError extends MemoryError {
  private readonly [symbol] = true;
  /** The path of the offending input, when one field is to blame. */
  readonly field: string | undefined;

  constructor({ field, ...options }: ValidationErrorOptions) {
    super({ ...options, isRetryable: false });
    this.name = name;
    this.field = field;
  }

  /** True for a {@link ValidationError} from any copy of `@memgate/core`. */
  static override isInstance(error: unknown): error is ValidationError {
    return MemoryError.hasMarker(error, marker);
  }
}
