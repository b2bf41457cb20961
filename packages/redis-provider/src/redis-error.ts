import { AuthError, MemoryError, ProviderTimeoutError, ProviderUnavailableError } from '@memgate/core';

// Socket-level failures: the server is unreachable or went away, so another provider (or a later
// attempt) may well succeed.
const connectionCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);
const connectionMessages = /^(Connection is closed|Stream isn't writeable|Reached the max retries per request limit|Socket closed unexpectedly)/;
// Redis error replies start with a code word (https://redis.io/docs/latest/develop/reference/protocol-spec/#simple-errors).
// These mean "not now": the server is loading, busy with a script, out of memory, or a read-only replica.
const transientReplies = new Set(['LOADING', 'BUSY', 'MASTERDOWN', 'TRYAGAIN', 'CLUSTERDOWN', 'READONLY', 'OOM', 'NOREPLICAS', 'MISCONF']);
const authReplies = new Set(['NOAUTH', 'WRONGPASS', 'NOPERM']);

/**
 * Turns what ioredis or the server threw into one of core's error classes, deciding `isRetryable`
 * here: connection failures and transient server states are retryable `ProviderUnavailableError`s,
 * a command timeout a `ProviderTimeoutError`, refused credentials a non-retryable `AuthError`, and
 * any other error reply a non-retryable `ProviderUnavailableError` (repeating the same command on
 * the same data would fail the same way). Core errors pass through unchanged. Messages never
 * contain the connection string.
 */
export function mapRedisError(error: unknown, providerId: string): MemoryError {
  if (MemoryError.isInstance(error)) return error;
  const { name, code, message } = describe(error);
  const reply = name === 'ReplyError' ? message.split(' ', 1)[0]! : undefined;
  if (code === 'ETIMEDOUT' || message === 'Command timed out') {
    return new ProviderTimeoutError({ message: `${providerId}: Redis did not answer in time`, cause: error, providerId });
  }
  if ((code !== undefined && connectionCodes.has(code)) || name === 'MaxRetriesPerRequestError' || connectionMessages.test(message)) {
    return new ProviderUnavailableError({ message: `${providerId}: Redis is unreachable (${code ?? message})`, cause: error, providerId, isRetryable: true });
  }
  if (reply !== undefined && authReplies.has(reply)) {
    return new AuthError({ message: `${providerId}: Redis refused the credentials (${reply})`, cause: error, providerId, isRetryable: false });
  }
  if (reply !== undefined && transientReplies.has(reply)) {
    return new ProviderUnavailableError({ message: `${providerId}: Redis cannot serve now (${reply})`, cause: error, providerId, isRetryable: true });
  }
  return new ProviderUnavailableError({ message: `${providerId}: Redis failed: ${message}`, cause: error, providerId, isRetryable: false });
}

function describe(error: unknown): { name: string | undefined; code: string | undefined; message: string } {
  if (typeof error !== 'object' || error === null) return { name: undefined, code: undefined, message: String(error) };
  const { name, code, message } = error as { name?: unknown; code?: unknown; message?: unknown };
  return {
    name: typeof name === 'string' ? name : undefined,
    code: typeof code === 'string' ? code : undefined,
    message: typeof message === 'string' ? message : String(error),
  };
}
