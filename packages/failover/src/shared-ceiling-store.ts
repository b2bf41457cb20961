/** A member's ceiling as the shared bucket applies it: refilled at `requestsPerSecond`, holding at most `burst`. */
export interface SharedCeilingRule {
  readonly requestsPerSecond: number;
  readonly burst: number;
}

/** The outcome of one {@link SharedCeilingStore.take}. */
export interface SharedCeilingTake {
  /** Whether the tokens were taken (always, for a give-back). */
  readonly taken: boolean;
  /** Tokens the shared bucket holds after this call (a fraction at times); on a refusal, what it holds now. */
  readonly available: number;
}

/**
 * Where the replicas of a pool share their members' request ceilings: one token bucket per member that
 * every replica takes from atomically (the gateway's is the state store's `rate_limit_buckets`, or
 * Redis). Typed here so that `@memgate/failover` needs no store of its own.
 */
export interface SharedCeilingStore {
  /**
   * Takes `count` tokens from `member`'s shared bucket if it holds that many, else takes nothing (all or
   * nothing); a negative `count` gives tokens back (the bucket never holds more than `burst`). A bucket
   * the store does not hold (never used, or pruned) is full.
   * @throws when the store cannot answer: the member's bucket then refills locally until it answers again
   */
  take(member: string, rule: SharedCeilingRule, count: number): Promise<SharedCeilingTake>;
}

/** Options of a pool's shared ceilings (`FailoverPoolOptions.sharedCeilings`). */
export interface SharedCeilingsOptions {
  readonly store: SharedCeilingStore;
  /**
   * How often each replica settles its members' leases with the shared buckets (ms): the overshoot of the
   * ceiling across replicas is bounded by what they hold between two syncs. Default 100.
   */
  readonly syncIntervalMs?: number;
  /** A sync not answered within this long counts as a failure of the store (ms). Default 1000. */
  readonly timeoutMs?: number;
  /**
   * Told when the store fails (its members then limit on this replica alone, at their rate), at most
   * once every 10 s, the error then saying how many more failed meanwhile. Default: the pool's `onError`.
   */
  readonly onError?: (error: unknown) => void;
}
