import { MemoryError, ProviderTimeoutError, ProviderUnavailableError } from '@memgate/core';

/**
 * Turns whatever the Redis backend (or its client library) threw into one of core's error
 * classes, deciding `isRetryable` here, where the cause is known. Core errors pass through unchanged.
 *
 * TEMPLATE: map your client's error codes. The usual split:
 * - connection refused / reset, 5xx, "server busy" -> `ProviderUnavailableError` (retryable);
 * - a timeout of the backend itself -> `ProviderTimeoutError` (retryable);
 * - 429 / quota -> `RateLimitedError` with `retryAfterMs`;
 * - 401 / 403 -> `AuthError` (not retryable: it is a configuration fault);
 * - a bad request that the caller caused -> `ValidationError` naming the field.
 * Never let a raw client error escape: the router only reads core's classes and their flag.
 */
export function mapRedisError(error: unknown, providerId: string): MemoryError {
  if (MemoryError.isInstance(error)) return error;
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  if (code === 'ETIMEDOUT') return new ProviderTimeoutError({ message: `${providerId}: the backend timed out`, cause: error, providerId });
  const reason = error instanceof Error ? error.message : String(error);
  return new ProviderUnavailableError({ message: `${providerId}: ${reason}`, cause: error, providerId });
}
