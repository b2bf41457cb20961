/**
 * @module refuse-while-draining
 * Answers every request with 503 `{"error": …, "reason": "draining"}`, `Retry-After` and
 * `Connection: close` once the server has begun to drain. Such requests arrive on keep-alive
 * connections opened before the listener closed; the answer tells the client to take its next
 * request elsewhere, and the closed connection lets the drain finish. `/readyz` included: a load
 * balancer still holding a connection sees the instance go unready at once.
 * @example front.use('*', refuseWhileDraining({ isDraining: () => draining }))
 */
import type { MiddlewareHandler } from 'hono';
import { serviceUnavailable } from './service-unavailable.js';

/** Options of {@link refuseWhileDraining}. */
export interface RefuseWhileDrainingOptions {
  /** Whether the server is draining now. */
  readonly isDraining: () => boolean;
  /** `Retry-After` in seconds. Default 1: another instance can serve at once. */
  readonly retryAfterSeconds?: number;
  /** Told of each request refused. */
  readonly onRefused?: () => void;
}

/** The refuse-while-draining middleware. */
export const refuseWhileDraining = ({ isDraining, retryAfterSeconds = 1, onRefused }: RefuseWhileDrainingOptions): MiddlewareHandler =>
  async function refuseWhileDraining(c, next) {
    if (!isDraining()) return next();
    onRefused?.();
    return serviceUnavailable(c, { reason: 'draining', message: 'memgate is shutting down; send the request to another instance', retryAfterSeconds, closeConnection: true });
  };
