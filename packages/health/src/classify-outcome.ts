import { AbortedError, AuthError, ConflictError, NotFoundError, ProviderTimeoutError, ProviderUnavailableError, RateLimitedError, UnsupportedCapabilityError, ValidationError } from '@memgate/core';

/**
 * How an outcome counts against a provider:
 * - `success`: the provider answered.
 * - `failure`: timeouts, connection errors, 5xx and anything unclassified: counts against the provider.
 * - `rate-limited`: the provider asked us to slow down: it cools down for `retryAfterMs`, it is not "sick".
 * - `caller-error`: the caller's input was wrong (validation, not found, conflict, unsupported): counts for nothing.
 * - `config-fault`: the provider rejected our credentials: an operator must act; it alerts and does not flap.
 * - `aborted`: the caller gave up; says nothing about the provider.
 */
export type OutcomeKind = 'success' | 'failure' | 'rate-limited' | 'caller-error' | 'config-fault' | 'aborted';

/** The classification of one outcome. */
export interface ClassifiedOutcome {
  readonly kind: OutcomeKind;
  /** For `rate-limited`: how long the provider asked us to wait (milliseconds), when it said. */
  readonly retryAfterMs?: number;
}

const success: ClassifiedOutcome = { kind: 'success' };

/**
 * Classifies an error (or `undefined` for a success) before it is counted, reading core's error classes
 * through `isInstance` (never `instanceof`, never the message). Unknown errors count as failures: an
 * error nobody classified is the provider's fault until proven otherwise.
 */
export function classifyOutcome(error?: unknown): ClassifiedOutcome {
  if (error === undefined) return success;
  if (RateLimitedError.isInstance(error)) return error.retryAfterMs === undefined ? { kind: 'rate-limited' } : { kind: 'rate-limited', retryAfterMs: error.retryAfterMs };
  if (ProviderTimeoutError.isInstance(error) || ProviderUnavailableError.isInstance(error)) return { kind: 'failure' };
  if (AuthError.isInstance(error)) return { kind: 'config-fault' };
  if (AbortedError.isInstance(error)) return { kind: 'aborted' };
  if (ValidationError.isInstance(error) || NotFoundError.isInstance(error) || ConflictError.isInstance(error) || UnsupportedCapabilityError.isInstance(error)) {
    return { kind: 'caller-error' };
  }
  return { kind: 'failure' };
}
