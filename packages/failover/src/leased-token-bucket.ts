import type { TokenBucket } from './token-bucket.js';

/**
 * A member's ceiling bucket when the pool's replicas share the ceiling ({@link SharedCeilingStore}):
 * the router spends its tokens exactly as it spends a plain {@link TokenBucket}'s (synchronously, no
 * round trip), but while `shared` the tokens do not refill here: they are leased from the bucket every
 * replica shares by the ceiling syncer, which also gives unused ones back. While `local` (the shared
 * store failed) it refills here at the ceiling's rate, up to the burst, like a plain bucket.
 */
export interface LeasedTokenBucket extends TokenBucket {
  /** Where the tokens come from now. A new bucket is `shared` and empty: a rebuilt pool never starts with a free burst. */
  readonly mode: 'shared' | 'local';
  /** Tokens held now, whole (negative: spent ahead by a call queued for its token, repaid by the next lease). */
  held(): number;
  /** Tokens spent (net of those given back) since the last call, and resets the count. */
  spentSinceLastCall(): number;
  /** Adds leased tokens (or removes, with a negative count: tokens given back to the shared bucket). */
  add(count: number): void;
  /** The shared store failed: refill here at the ceiling's rate from what is held now (never from a full bucket). */
  useLocal(): void;
  /** The shared store answers again: tokens made here are dropped (they were never leased), a debt is kept. */
  useShared(): void;
}

/** Options of {@link createLeasedTokenBucket}. */
export interface LeasedTokenBucketOptions {
  /** The ceiling's rate: the local refill while `local`, and the wait estimate for a token. */
  readonly ratePerSecond: number;
  /** The burst: most tokens held while `local`. */
  readonly capacity: number;
  /** The clock, in milliseconds. Default `performance.now`. */
  readonly now?: () => number;
}

/** Creates an empty, `shared` {@link LeasedTokenBucket}. */
export function createLeasedTokenBucket({ ratePerSecond, capacity, now = () => performance.now() }: LeasedTokenBucketOptions): LeasedTokenBucket {
  let mode: 'shared' | 'local' = 'shared';
  let tokens = 0;
  let spent = 0;
  let last = now();
  const refill = (): void => {
    const at = now();
    if (mode === 'local' && tokens < capacity) tokens = Math.min(capacity, tokens + ((at - last) / 1000) * ratePerSecond);
    last = at;
  };
  return {
    get mode() {
      return mode;
    },
    available() {
      refill();
      return Math.floor(tokens);
    },
    take(count) {
      refill();
      tokens -= count;
      spent += count;
    },
    // While shared this is an estimate: the next lease comes at the next sync, if the shared bucket has a token.
    waitMs(count = 1) {
      refill();
      return tokens >= count ? 0 : ((count - tokens) / ratePerSecond) * 1000;
    },
    held() {
      return this.available();
    },
    spentSinceLastCall() {
      const count = spent;
      spent = 0;
      return count;
    },
    add(count) {
      refill();
      tokens += count;
    },
    useLocal() {
      refill();
      mode = 'local';
    },
    useShared() {
      refill();
      mode = 'shared';
      tokens = Math.min(0, Math.floor(tokens));
    },
  };
}
