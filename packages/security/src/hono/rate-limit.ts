/**
 * @module rate-limit
 * A token bucket per caller: the principal's id when there is one, else the client address (IPv6 by
 * its /64). An empty bucket gets 429 with `Retry-After` (seconds) and `{"detail": "..."}`. Every answer
 * carries `X-RateLimit-Limit` (requests per minute), `X-RateLimit-Remaining` (requests left in the
 * burst) and `X-RateLimit-Reset` (seconds until the bucket is full again; on a 429, until the next
 * request is allowed).
 * @example app.use('/v3/*', rateLimit({ limiter: createRateLimiter({ rule: { capacity: 60, refillPerSecond: 1 } }) }))
 */
import { RateLimitedError } from '@memgate/core';
import type { Context, MiddlewareHandler } from 'hono';
import type { RateLimiter } from '../rate-limit/create-rate-limiter.js';
import type { TokenBucketRule } from '../rate-limit/token-bucket.js';
import { rateLimitAddress } from '../ip/rate-limit-address.js';
import './context-variable-map.js';
import { nodeSocket } from './node-socket.js';
import { respondToSecurityError } from './security-error-response.js';

/** Options of {@link rateLimit}. */
export interface RateLimitOptions {
  limiter: RateLimiter;
  /** The bucket key of a request; `undefined` skips limiting. Default `key:<principal id>` or `ip:<client address or its /64>`. */
  key?: (c: Context) => string | undefined;
  /** The rule of a request's bucket (a key's own limit). Default the limiter's; `undefined` skips limiting. */
  rule?: (c: Context) => TokenBucketRule | undefined;
  /** Tokens a request costs. Default 1. */
  cost?: (c: Context) => number;
}

const defaultKey = (c: Context): string => {
  const principal = c.get('principal');
  if (principal) return `key:${principal.id}`;
  return `ip:${rateLimitAddress(c.get('clientIp') ?? nodeSocket(c)?.remoteAddress)}`;
};

/** Builds the rate-limit middleware. */
export const rateLimit = ({ limiter, key = defaultKey, rule = () => limiter.rule, cost = () => 1 }: RateLimitOptions): MiddlewareHandler =>
  async function rateLimit(c, next) {
    const bucket = key(c);
    const bucketRule = bucket === undefined ? undefined : rule(c);
    if (bucket === undefined || bucketRule === undefined) return next();
    const limit = String(Math.round(bucketRule.refillPerSecond * 60));
    const denied = await respondToSecurityError(c, async () => {
      try {
        const result = await limiter.consume(bucket, cost(c), bucketRule);
        const untilFull = bucketRule.refillPerSecond > 0 ? (bucketRule.capacity - result.state.tokens) / bucketRule.refillPerSecond : 0;
        c.header('X-RateLimit-Limit', limit);
        c.header('X-RateLimit-Remaining', String(result.remaining));
        c.header('X-RateLimit-Reset', String(Math.ceil(untilFull)));
      } catch (error) {
        if (RateLimitedError.isInstance(error)) {
          c.header('X-RateLimit-Limit', limit);
          c.header('X-RateLimit-Remaining', '0');
          c.header('X-RateLimit-Reset', String(Math.max(1, Math.ceil((error.retryAfterMs ?? 1000) / 1000))));
        }
        throw error;
      }
    });
    if (denied) return denied;
    await next();
  };
