import { AbortedError, AuthError, ConflictError, NotFoundError, ProviderTimeoutError, ProviderUnavailableError, RateLimitedError, ValidationError } from '@memgate/core';

/** What a client is told about a provider's failure: a class, never the provider's own words. */
export type ProviderFailureMessage = 'provider unreachable' | 'authentication to provider failed' | 'provider timed out' | 'provider rejected the request';

/**
 * Classifies a provider's (or probe's) failure for clients. The upstream message may quote the
 * provider's response body or an internal address, so it goes to the log, and the client gets this.
 * Unknown errors (a socket error, a bug) count as unreachable.
 */
export function classifyProviderFailure(error: unknown): ProviderFailureMessage {
  if (AuthError.isInstance(error)) return 'authentication to provider failed';
  if (ProviderTimeoutError.isInstance(error) || AbortedError.isInstance(error)) return 'provider timed out';
  if (ValidationError.isInstance(error) || NotFoundError.isInstance(error) || ConflictError.isInstance(error) || RateLimitedError.isInstance(error)) return 'provider rejected the request';
  if (ProviderUnavailableError.isInstance(error)) return 'provider unreachable';
  return 'provider unreachable';
}
