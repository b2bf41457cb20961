/** A token bucket: `ratePerSecond` tokens a second, holding at most one second's worth. */
export interface TokenBucket {
  /** Whole tokens available now. */
  available(): number;
  /** Spends tokens (may go below zero: the next refills pay it back). */
  take(count: number): void;
}

/** Creates a full {@link TokenBucket}. `now` is in milliseconds (default `performance.now`). */
export function createTokenBucket(ratePerSecond: number, now: () => number = () => performance.now()): TokenBucket {
  let tokens = ratePerSecond;
  let last = now();
  const refill = (): void => {
    const at = now();
    tokens = Math.min(ratePerSecond, tokens + ((at - last) / 1000) * ratePerSecond);
    last = at;
  };
  return {
    available() {
      refill();
      return Math.floor(tokens);
    },
    take(count) {
      refill();
      tokens -= count;
    },
  };
}
