/** A bucket's shape: `capacity` tokens at most, refilled continuously at `refillPerSecond`. */
export interface TokenBucketRule {
  /** Largest burst, in tokens (requests). */
  capacity: number;
  /** Tokens added per second. A quota of N per day is `{ capacity: N, refillPerSecond: N / 86400 }`. */
  refillPerSecond: number;
}

/** A bucket's state: tokens left at an instant (epoch ms). */
export interface TokenBucketState {
  tokens: number;
  updatedAt: number;
}

/** The outcome of one {@link takeTokens}. */
export interface TokenBucketResult {
  allowed: boolean;
  /** Whole tokens left after this call. */
  remaining: number;
  /** When not allowed: ms until enough tokens are back; 0 when allowed. */
  retryAfterMs: number;
  state: TokenBucketState;
}

/**
 * One step of a token bucket, as a pure function so that any store (memory, Redis, SQL) can apply it
 * atomically. A refused call takes nothing, so a client that keeps hammering is not starved forever.
 * @param state the previous state, or `undefined` for a full bucket
 * @param cost tokens this call needs (default 1); a cost above capacity is never allowed
 */
export function takeTokens(rule: TokenBucketRule, state: TokenBucketState | undefined, now: number, cost = 1): TokenBucketResult {
  const elapsedSeconds = state ? Math.max(0, now - state.updatedAt) / 1000 : 0;
  const tokens = Math.min(rule.capacity, (state?.tokens ?? rule.capacity) + elapsedSeconds * rule.refillPerSecond);
  if (tokens >= cost) {
    const left = tokens - cost;
    return { allowed: true, remaining: Math.floor(left), retryAfterMs: 0, state: { tokens: left, updatedAt: now } };
  }
  const retryAfterMs = cost > rule.capacity || rule.refillPerSecond <= 0 ? Number.POSITIVE_INFINITY : Math.ceil(((cost - tokens) / rule.refillPerSecond) * 1000);
  return { allowed: false, remaining: Math.floor(tokens), retryAfterMs, state: { tokens, updatedAt: now } };
}
