import { AuthError, type MemoryErrorOptions } from '@memgate/core';

const name = 'Security_ForbiddenError';
const marker = Symbol.for(`memgate.security.error.${name}`);

/**
 * The caller is known but may not do this (HTTP 403): a missing permission, another tenant's ids,
 * a disallowed IP. It extends core's `AuthError` (401-class) so code that only knows core still
 * refuses the call; code that can tell 401 from 403 checks {@link ForbiddenError.isInstance} first.
 * Never retryable.
 */
export class ForbiddenError extends AuthError {
  private readonly [marker] = true;
  /** The HTTP status this error maps to: always 403. */
  readonly statusCode = 403 as const;

  constructor(options: MemoryErrorOptions) {
    super({ ...options, isRetryable: false });
    this.name = name;
  }

  /** True for a {@link ForbiddenError} from any copy of `@memgate/security`. */
  static override isInstance(error: unknown): error is ForbiddenError {
    return error != null && typeof error === 'object' && (error as Record<symbol, unknown>)[marker] === true;
  }
}
