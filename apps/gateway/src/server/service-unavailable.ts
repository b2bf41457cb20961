import type { Context } from 'hono';
import type { ShedReason } from './shed-reason.js';

/** Options of {@link serviceUnavailable}. */
export interface ServiceUnavailableOptions {
  readonly reason: ShedReason;
  /** The body's `error`, for people. */
  readonly message: string;
  /** Seconds the client should wait before retrying (`Retry-After`). */
  readonly retryAfterSeconds: number;
  /** Sends `Connection: close`, so the client does not send its next request on this socket. */
  readonly closeConnection: boolean;
}

/**
 * The 503 the server answers on its own: the gateway's error body (`{"error": …}`, see
 * `handle-error.ts`) plus `reason`, which a client can act on without parsing the message.
 */
export function serviceUnavailable(c: Context, { reason, message, retryAfterSeconds, closeConnection }: ServiceUnavailableOptions): Response {
  return c.json({ error: message, reason }, 503, { 'retry-after': String(retryAfterSeconds), ...(closeConnection ? { connection: 'close' } : {}) });
}
