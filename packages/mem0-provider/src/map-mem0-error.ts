import { AuthError, ConflictError, MemoryError, NotFoundError, ProviderTimeoutError, ProviderUnavailableError, RateLimitedError, ValidationError } from '@memgate/core';

/** Pulls a readable message out of mem0's non-uniform error bodies (`detail`, `error`, `details.message`, `message`). */
export function mem0ErrorMessage(text: string): string {
  try {
    const body = JSON.parse(text) as Record<string, any>;
    const parts = [body.detail, body.error, body.details?.message, body.message].filter((part) => typeof part === 'string');
    if (parts.length > 0) return parts.join(': ').slice(0, 500);
  } catch {
    // not JSON: fall back to the raw text
  }
  return text.slice(0, 200) || 'no body';
}

/** Milliseconds from a `Retry-After` header (seconds or an HTTP date), when present and sane. */
export function parseRetryAfter(header: string | string[] | undefined, now = Date.now()): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The core error for a non-2xx answer from mem0. 429, 5xx and 408 are retryable; caller faults are not. */
export function mem0HttpError(status: number, bodyText: string, retryAfter: string | string[] | undefined, providerId: string, what: string): MemoryError {
  const message = `mem0 answered ${status} to ${what}: ${mem0ErrorMessage(bodyText)}`;
  if (status === 429) return new RateLimitedError({ message, providerId, retryAfterMs: parseRetryAfter(retryAfter) });
  if (status === 408 || status === 504) return new ProviderTimeoutError({ message, providerId });
  if (status >= 500) return new ProviderUnavailableError({ message, providerId });
  if (status === 401 || status === 403) return new AuthError({ message, providerId });
  if (status === 404) return new NotFoundError({ message, providerId });
  if (status === 409) return new ConflictError({ message, providerId });
  return new ValidationError({ message, providerId });
}

const timeoutCodes = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

/** The core error for a transport failure (refused, reset, closed mid-body, timed out). Always retryable. */
export function mem0NetworkError(error: unknown, providerId: string, what: string): MemoryError {
  if (MemoryError.isInstance(error)) return error;
  const code = (error as { code?: string } | undefined)?.code ?? (error as { cause?: { code?: string } } | undefined)?.cause?.code;
  const message = `mem0 could not be reached for ${what}: ${code ?? (error as Error)?.message ?? 'unknown error'}`;
  return code && timeoutCodes.has(code) ? new ProviderTimeoutError({ message, providerId, cause: error }) : new ProviderUnavailableError({ message, providerId, cause: error });
}
