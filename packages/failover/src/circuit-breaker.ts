import type { Disposable } from '@memgate/health';
import type { CircuitBreakerSnapshot, CircuitState, CircuitStateChange, CircuitTransitionReason } from './circuit-breaker-state.js';
import { OutcomeCounter } from './outcome-counter.js';

/** Options of {@link createCircuitBreaker}. */
export interface CircuitBreakerOptions {
  /** Opens after this many consecutive failures. Default 5 (Envoy's consecutive-5xx default). */
  readonly consecutiveFailures?: number;
  /** Opens when failures / calls over `windowMs` reach `threshold`, once `minimumVolume` calls were seen. `false` disables. Default `{ threshold: 0.5, windowMs: 30000, minimumVolume: 20 }`. */
  readonly failureRate?: { readonly threshold: number; readonly windowMs: number; readonly minimumVolume: number } | false;
  /** How long an open breaker rejects before admitting trials (ms); a function is read at each trip. Default 300000 (5 minutes). */
  readonly cooldownMs?: number | (() => number);
  /** Trial calls admitted at once while half-open; more are rejected at once, never queued. Default 1. */
  readonly halfOpenMaxConcurrent?: number;
  /** Successful trials that close the breaker. Default 1. */
  readonly halfOpenSuccessesToClose?: number;
  /** Time source (epoch ms). Default `Date.now`. */
  readonly now?: () => number;
  /** Restores a state saved with `toJSON()`. A saved `half-open` comes back as open until now (its trials did not survive). */
  readonly initialState?: CircuitBreakerSnapshot;
}

/** Admission to one call. Settle it exactly once; later calls are ignored. */
export interface BreakerPermit {
  /** Whether this call is a half-open trial. */
  readonly trial: boolean;
  success(): void;
  /** A failure that counts against the provider. */
  failure(): void;
  /** The provider asked to back off: the breaker opens for `retryAfterMs` (not a trip of the failure counters). */
  rateLimited(retryAfterMs: number): void;
  /** An outcome that says nothing about the provider (caller error, abort): frees the slot, changes nothing. */
  release(): void;
}

/** A circuit breaker for one provider. */
export interface CircuitBreaker {
  /** The current state; an open breaker whose cooldown elapsed reads as `half-open`. */
  readonly state: CircuitState;
  /** A permit for one call, or `undefined` when the call must not be made (open, isolated, or half-open with every trial slot taken). */
  tryAcquire(): BreakerPermit | undefined;
  /** Milliseconds until a call may be admitted: 0 when it may be now, `null` when isolated. */
  retryAfterMs(): number | null;
  /** Forces the breaker open until {@link CircuitBreaker.reset}. */
  isolate(): void;
  /** Closes the breaker and clears its counters. */
  reset(): void;
  onStateChange(listener: (change: CircuitStateChange) => void): Disposable;
  toJSON(): CircuitBreakerSnapshot;
}

/**
 * Creates a {@link CircuitBreaker}: closed → open after N consecutive failures or a failure rate over
 * a window with a minimum volume; open → half-open after the cooldown; half-open admits a capped number
 * of concurrent trials; a successful trial closes it, a failed one reopens it for another cooldown.
 */
export function createCircuitBreaker(options: CircuitBreakerOptions = {}): CircuitBreaker {
  const now = options.now ?? Date.now;
  const consecutiveLimit = options.consecutiveFailures ?? 5;
  const rate = options.failureRate === false ? undefined : (options.failureRate ?? { threshold: 0.5, windowMs: 30_000, minimumVolume: 20 });
  const cooldown = (): number => (typeof options.cooldownMs === 'function' ? options.cooldownMs() : (options.cooldownMs ?? 300_000));
  const halfOpenMax = options.halfOpenMaxConcurrent ?? 1;
  const successesToClose = options.halfOpenSuccessesToClose ?? 1;
  const counter = rate ? new OutcomeCounter(rate.windowMs, 10) : undefined;
  const listeners = new Set<(change: CircuitStateChange) => void>();
  const initial = options.initialState;
  let state: CircuitState = initial?.state === 'half-open' ? 'open' : (initial?.state ?? 'closed');
  let openUntil: number | null = initial?.state === 'half-open' ? now() : (initial?.openUntil ?? null);
  let openedAt = initial?.openedAt ?? null;
  let consecutiveFailures = initial?.consecutiveFailures ?? 0;
  let lastReason: CircuitTransitionReason | null = initial?.lastReason ?? null;
  let trips = initial?.trips ?? 0;
  let trialsInFlight = 0;
  let trialSuccesses = 0;
  // Permits of an earlier half-open episode must not settle the current one.
  let epoch = 0;

  const transition = (to: CircuitState, reason: CircuitTransitionReason, until: number | null = null): void => {
    const from = state;
    state = to;
    lastReason = reason;
    openUntil = until;
    epoch += 1;
    trialsInFlight = 0;
    trialSuccesses = 0;
    if (to === 'open') {
      openedAt = now();
      trips += 1;
    }
    if (to === 'closed') {
      consecutiveFailures = 0;
      counter?.clear();
    }
    const change: CircuitStateChange = until === null ? { from, to, reason, at: now() } : { from, to, reason, at: now(), openUntil: until };
    for (const listener of listeners) listener(change);
  };

  const refresh = (): void => {
    if (state === 'open' && openUntil !== null && now() >= openUntil) transition('half-open', 'cooldown-elapsed');
  };

  const open = (reason: CircuitTransitionReason, durationMs: number): void => transition('open', reason, now() + durationMs);

  const makePermit = (trial: boolean): BreakerPermit => {
    const permitEpoch = epoch;
    let settled = false;
    const settle = (apply: (current: boolean) => void): void => {
      if (settled) return;
      settled = true;
      const current = permitEpoch === epoch;
      if (trial && current) trialsInFlight -= 1;
      apply(current);
    };
    return {
      trial,
      success: () =>
        settle((current) => {
          consecutiveFailures = 0;
          counter?.record(now(), true);
          if (trial && current && state === 'half-open' && (trialSuccesses += 1) >= successesToClose) transition('closed', 'trial-succeeded');
        }),
      failure: () =>
        settle((current) => {
          consecutiveFailures += 1;
          counter?.record(now(), false);
          if (trial && current && state === 'half-open') return open('trial-failed', cooldown());
          if (state !== 'closed') return;
          if (consecutiveFailures >= consecutiveLimit) return open('consecutive-failures', cooldown());
          const counts = counter?.counts(now());
          if (rate && counts && counts.total >= rate.minimumVolume && counts.failures / counts.total >= rate.threshold) open('failure-rate', cooldown());
        }),
      rateLimited: (retryAfterMs) =>
        settle(() => {
          if (state === 'isolated') return;
          const until = now() + Math.max(0, retryAfterMs);
          if (state === 'open' && openUntil !== null && openUntil >= until) return;
          open('rate-limited', Math.max(0, retryAfterMs));
        }),
      release: () => settle(() => {}),
    };
  };

  return {
    get state() {
      refresh();
      return state;
    },
    tryAcquire() {
      refresh();
      if (state === 'closed') return makePermit(false);
      if (state !== 'half-open' || trialsInFlight >= halfOpenMax) return undefined;
      trialsInFlight += 1;
      return makePermit(true);
    },
    retryAfterMs() {
      refresh();
      if (state === 'isolated') return null;
      if (state === 'open') return Math.max(0, (openUntil ?? now()) - now());
      return 0;
    },
    isolate() {
      if (state !== 'isolated') transition('isolated', 'isolated');
    },
    reset() {
      if (state !== 'closed') transition('closed', 'reset');
      consecutiveFailures = 0;
      counter?.clear();
    },
    onStateChange(listener) {
      listeners.add(listener);
      return { dispose: () => void listeners.delete(listener) };
    },
    toJSON() {
      refresh();
      return { state, consecutiveFailures, openedAt, openUntil, lastReason, trips };
    },
  };
}
