/**
 * @module rate-limit
 * A token bucket per caller: the principal's id when there is one, else the client address. An empty
 * bucket gets 429 with `Retry-After` (seconds) and `{"detail": "..."}`; every answer carries
 * `RateLimit-Remaining`.
 * @example app.use('/v3/*', rateLimit({ limiter: createRateLimiter({ rule: { capacity: 60, refillPerSecond: 1 } }) }))
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { RateLimiter } from '../rate-limit/create-rate-limiter.js';
import './context-variable-map.js';
import { nodeSocket } from './node-socket.js';
import { respondToSecurityError } from './security-error-response.js';

/** Options of {@link rateLimit}. */
export interface RateLimitOptions {
  limiter: RateLimiter;
  /** The bucket key of a request; `undefined` skips limiting. Default `key:<principal id>` or `ip:<client ip>`. */
  key?: (c: Context) => string | undefined;
  /** Tokens a request costs. Default 1. */
  cost?: (c: Context) => number;
}

const defaultKey = (c: Context): string => {
  const principal = c.get('principal');
  if (principal) return `key:${principal.id}`;
  return `ip:${c.get('clientIp') ?? nodeSocket(c)?.remoteAddress ?? 'unknown'}`;
};

/** Builds the rate-limit middleware. */
export const rateLimit = ({ limiter, key = defaultKey, cost = () => 1 }: RateLimitOptions): MiddlewareHandler =>
  async function rateLimit(c, next) {
    const bucket = key(c);
    if (bucket === undefined) return next();
    const denied = await respondToSecurityError(c, async () => {
      const result = await limiter.consume(bucket, cost(c));
      c.header('RateLimit-Remaining', String(result.remaining));
    });
    if (denied) {
      denied.headers.set('RateLimit-Remaining', '0');
      return denied;
    }
    await next();
  };
