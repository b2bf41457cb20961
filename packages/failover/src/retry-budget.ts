/** Options of {@link createRetryBudget}. */
export interface RetryBudgetOptions {
  /** Retries in flight may be at most this fraction of requests in flight. Default 0.2 (Envoy's budget_percent). */
  readonly ratio?: number;
  /** …but at least this many, so a quiet pool can still retry. Default 3 (Envoy's min_retry_concurrency). */
  readonly minConcurrent?: number;
}

/**
 * A global retry budget shared by every request of a pool (Envoy-style): a retry attempt is allowed
 * only while `retriesInFlight < max(minConcurrent, ratio × requestsInFlight)`. During an outage every
 * request wants to retry; the budget caps the extra load at a fraction of real traffic. The router
 * does not draw on it for a request's first fallback to a different member whose breaker is closed
 * (at most one extra attempt per request, never on the member that just failed): only retries of the
 * same member, second fallbacks and later passes need a token.
 */
export interface RetryBudget {
  /** Registers a request; call the returned function when it ends. */
  requestStarted(): () => void;
  /** A token for one retry attempt, or `undefined` when the budget is spent; call the token when the attempt ends. */
  tryAcquireRetry(): (() => void) | undefined;
  /** Current counters. */
  stats(): { readonly requestsInFlight: number; readonly retriesInFlight: number; readonly rejected: number };
}

/** Creates a {@link RetryBudget}. */
export function createRetryBudget({ ratio = 0.2, minConcurrent = 3 }: RetryBudgetOptions = {}): RetryBudget {
  let requests = 0;
  let retries = 0;
  let rejected = 0;
  const once = (release: () => void): (() => void) => {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      release();
    };
  };
  return {
    requestStarted() {
      requests += 1;
      return once(() => (requests -= 1));
    },
    tryAcquireRetry() {
      if (retries >= Math.max(minConcurrent, ratio * requests)) {
        rejected += 1;
        return undefined;
      }
      retries += 1;
      return once(() => (retries -= 1));
    },
    stats: () => ({ requestsInFlight: requests, retriesInFlight: retries, rejected }),
  };
}
