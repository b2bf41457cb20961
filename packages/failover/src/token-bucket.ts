/** A token bucket: `ratePerSecond` tokens a second, holding at most `capacity`. */
export interface TokenBucket {
  /** Whole tokens available now. */
  available(): number;
  /** Spends tokens (may go below zero: the next refills pay it back, and nobody else gets one until they have). */
  take(count: number): void;
  /** Milliseconds until `count` whole tokens are available (0 when they are now). */
  waitMs(count?: number): number;
}

/** Options of {@link createTokenBucket}. */
export interface TokenBucketOptions {
  /** Most tokens held, and what a new bucket starts with (its burst). Default `ratePerSecond`, at least 1 (one second's worth). */
  readonly capacity?: number;
  /** The clock, in milliseconds. Default `performance.now`. */
  readonly now?: () => number;
}

/** Creates a full {@link TokenBucket}. */
export function createTokenBucket(ratePerSecond: number, { capacity = Math.max(1, ratePerSecond), now = () => performance.now() }: TokenBucketOptions = {}): TokenBucket {
  let tokens = capacity;
  let last = now();
  const refill = (): void => {
    const at = now();
    tokens = Math.min(capacity, tokens + ((at - last) / 1000) * ratePerSecond);
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
    waitMs(count = 1) {
      refill();
      return tokens >= count ? 0 : ((count - tokens) / ratePerSecond) * 1000;
    },
  };
}
