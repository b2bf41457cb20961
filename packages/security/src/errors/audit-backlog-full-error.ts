import { MemoryError, type MemoryErrorOptions } from '@memgate/core';

const name = 'Security_AuditBacklogFullError';
const marker = Symbol.for(`memgate.security.error.${name}`);

/**
 * The audit queue is full and the log was told not to wait (`whenFull: 'reject'`). Nothing was
 * dropped: the event was refused, so the caller can refuse the action it describes (fail closed,
 * ASVS 16.5.3). Retryable once the backlog drains.
 */
export class AuditBacklogFullError extends MemoryError {
  private readonly [marker] = true;

  constructor(options: MemoryErrorOptions) {
    super({ isRetryable: true, ...options });
    this.name = name;
  }

  /** True for an {@link AuditBacklogFullError} from any copy of `@memgate/security`. */
  static override isInstance(error: unknown): error is AuditBacklogFullError {
    return error != null && typeof error === 'object' && (error as Record<symbol, unknown>)[marker] === true;
  }
}
