import {
  AuthError,
  ConflictError,
  MemoryError,
  ProviderTimeoutError,
  ProviderUnavailableError,
  ValidationError,
} from '@memgate/core';

const connectionCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const connectionMessages = /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed|Cannot use a pool after calling end|PGlite is closed/i;

/** The first error in a `cause` chain that carries a code (pg and PGlite errors, Node socket errors). */
function findCoded(error: unknown): { code?: string; message: string } | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return { code, message: current.message };
    if (connectionMessages.test(current.message)) return { message: current.message };
    current = current.cause;
  }
  return undefined;
}

/**
 * Turns anything a pg or PGlite call throws into one of core's errors, with `isRetryable` decided
 * here: connection failures, admin shutdown (57P01) and too many connections (53300) are
 * retryable `ProviderUnavailableError`; a cancelled statement (57014, e.g. `statement_timeout`)
 * is `ProviderTimeoutError`; a unique violation (23505) is `ConflictError`; invalid input (22xxx)
 * is `ValidationError`; bad credentials (28xxx) are `AuthError`. Anything else is a
 * non-retryable `ProviderUnavailableError`, since it points at a bug or a broken database.
 */
export function toMemoryError(error: unknown, providerId: string): MemoryError {
  if (MemoryError.isInstance(error)) return error;
  const found = findCoded(error);
  const code = found?.code;
  const detail = found?.message ?? (error instanceof Error ? error.message : String(error));
  const options = { message: `postgres: ${detail}`, cause: error, providerId };
  if (code === undefined) {
    return new ProviderUnavailableError({ ...options, isRetryable: found !== undefined });
  }
  if (connectionCodes.has(code) || code.startsWith('08') || code === '53300' || code.startsWith('57P')) {
    return new ProviderUnavailableError({ ...options, isRetryable: true });
  }
  if (code === '57014') return new ProviderTimeoutError(options);
  if (code === '23505') return new ConflictError(options);
  if (code.startsWith('22') || code === '23502' || code === '23514') return new ValidationError(options);
  if (code.startsWith('28')) return new AuthError({ ...options, isRetryable: false });
  // Serialisation failures and deadlocks succeed when tried again; out-of-resources may too.
  if (code === '40001' || code === '40P01' || code.startsWith('53')) return new ProviderUnavailableError({ ...options, isRetryable: true });
  return new ProviderUnavailableError({ ...options, isRetryable: false });
}
