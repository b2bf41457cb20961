/**
 * @module shed-when-overloaded
 * Answers data-plane requests with 503 `{"error": …, "reason": "overloaded"}` and `Retry-After` while
 * the event loop runs more than `thresholdMs` behind, instead of queueing them behind work the process
 * cannot keep up with. Health, readiness, metrics and the management API are still served (see
 * `isDataPlanePath`). The connection stays open: the client may retry on it.
 * @example front.use('*', shedWhenOverloaded({ monitor: createEventLoopDelayMonitor(), thresholdMs: 200 }))
 */
import type { MiddlewareHandler } from 'hono';
import type { EventLoopDelayMonitor } from './event-loop-delay-monitor.js';
import { isDataPlanePath } from './is-data-plane-path.js';
import { serviceUnavailable } from './service-unavailable.js';

/** Options of {@link shedWhenOverloaded}. */
export interface ShedWhenOverloadedOptions {
  /** Where the event loop's delay is read, once per request. */
  readonly monitor: Pick<EventLoopDelayMonitor, 'delayMs'>;
  /** Requests are shed while the delay is above this many milliseconds; 0 never sheds. */
  readonly thresholdMs: number;
  /** Which paths may be shed. Default {@link isDataPlanePath}. */
  readonly sheds?: (path: string) => boolean;
  /** `Retry-After` in seconds. Default 1. */
  readonly retryAfterSeconds?: number;
  /** Told of each request shed, with the delay that shed it. */
  readonly onShed?: (delayMs: number) => void;
}

/** The shed-when-overloaded middleware. */
export const shedWhenOverloaded = ({ monitor, thresholdMs, sheds = isDataPlanePath, retryAfterSeconds = 1, onShed }: ShedWhenOverloadedOptions): MiddlewareHandler =>
  async function shedWhenOverloaded(c, next) {
    if (thresholdMs <= 0 || !sheds(c.req.path)) return next();
    const delayMs = monitor.delayMs();
    if (delayMs <= thresholdMs) return next();
    onShed?.(delayMs);
    return serviceUnavailable(c, { reason: 'overloaded', message: `memgate is overloaded (event loop ${Math.round(delayMs)} ms behind); retry shortly`, retryAfterSeconds, closeConnection: false });
  };
