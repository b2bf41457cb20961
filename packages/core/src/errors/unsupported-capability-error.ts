import { MemoryError, type MemoryErrorOptions } from './memory-error.js';

const name = 'Memory_UnsupportedCapabilityError';
const marker = `memgate.memory.error.${name}`;
const symbol = Symbol.for(marker);

/** The provider does not declare the capability the call needs (see `MemoryProviderV1Capabilities`). */
export class UnsupportedCapabilityError extends MemoryError {
  private readonly [symbol] = true;

  constructor(options: MemoryErrorOptions) {
    super({ isRetryable: false, ...options });
    this.name = name;
  }

  /** True for a {@link UnsupportedCapabilityError} from any copy of `@memgate/core`. */
  static override isInstance(error: unknown): error is UnsupportedCapabilityError {
    return MemoryError.hasMarker(error, marker);
  }
}
