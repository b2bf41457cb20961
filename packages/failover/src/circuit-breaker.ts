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
  /**
   * Active health checks may return an open member before its cooldown ends (as Envoy's do for ejected
   * hosts): after `successes` consecutive successful probes, once it has been open at least `minOpenMs`
   * doubled for each reopen in a row (capped at the cooldown), it goes half-open and a real call is its
   * trial. An open of `stableAfterMs` closed time or more starts the doubling over. `false`: the cooldown
   * is the only way back (LiteLLM's rule). `probeIntervalMs` is how often probes come while a breaker waits
   * on them, for the Retry-After it gives. Default `{ successes: 2, minOpenMs: 5000, stableAfterMs: 60000, probeIntervalMs: 5000 }`.
   */
  readonly probeRecovery?: ProbeRecoveryOptions | false;
  /** Time source (epoch ms). Default `Date.now`. */
  readonly now?: () => number;
  /** Restores a state saved with `toJSON()`. A saved `half-open` comes back as open until now (its trials did not survive). */
  readonly initialState?: CircuitBreakerSnapshot;
}

/** When successful probes may return an open member early (see {@link CircuitBreakerOptions.probeRecovery}). */
export interface ProbeRecoveryOptions {
  readonly successes?: number;
  readonly minOpenMs?: number;
  readonly stableAfterMs?: number;
  readonly probeIntervalMs?: number;
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
  /**
   * Milliseconds until a call may be admitted: 0 when it may be now, `null` when isolated. While open
   * with probe recovery and probes feeding it, the earliest the probes may return it (the shortest open time left, or the
   * successful probes still needed at the probe interval, at least 1 s), never past the cooldown.
   */
  retryAfterMs(): number | null;
  /** Whether the breaker is open only waiting for probes that succeed: the member answers (never one the provider asked to wait, nor isolated). */
  answersProbes(): boolean;
  /** An active probe's result: while open, consecutive successes may move it to half-open early (see `probeRecovery`). */
  recordProbe(success: boolean): void;
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
  return new DefaultCircuitBreaker(options);
}

// Classes rather than closures: a permit is made for every call on the hot path.
class DefaultCircuitBreaker implements CircuitBreaker {
  private readonly now: () => number;
  private readonly consecutiveLimit: number;
  private readonly rate: { readonly threshold: number; readonly windowMs: number; readonly minimumVolume: number } | undefined;
  private readonly halfOpenMax: number;
  private readonly successesToClose: number;
  private readonly counter: OutcomeCounter | undefined;
  private readonly listeners = new Set<(change: CircuitStateChange) => void>();
  private current: CircuitState;
  private openUntil: number | null;
  private openedAt: number | null;
  private consecutiveFailures: number;
  private lastReason: CircuitTransitionReason | null;
  private trips: number;
  private trialsInFlight = 0;
  private trialSuccesses = 0;
  private readonly recovery: Required<ProbeRecoveryOptions> | undefined;
  private probeSuccesses = 0;
  /** Whether any probe result ever reached this breaker: only then can probes be counted on to return it. */
  private probed = false;
  private reopenStreak: number;
  private closedAt: number | null = null;
  /** Bumped at every transition: permits of an earlier episode must not settle the current one. */
  epoch = 0;

  constructor(private readonly options: CircuitBreakerOptions) {
    this.now = options.now ?? Date.now;
    this.consecutiveLimit = options.consecutiveFailures ?? 5;
    this.rate = options.failureRate === false ? undefined : (options.failureRate ?? { threshold: 0.5, windowMs: 30_000, minimumVolume: 20 });
    this.halfOpenMax = options.halfOpenMaxConcurrent ?? 1;
    this.successesToClose = options.halfOpenSuccessesToClose ?? 1;
    this.counter = this.rate ? new OutcomeCounter(this.rate.windowMs, 10) : undefined;
    const initial = options.initialState;
    this.current = initial?.state === 'half-open' ? 'open' : (initial?.state ?? 'closed');
    this.openUntil = initial?.state === 'half-open' ? this.now() : (initial?.openUntil ?? null);
    this.openedAt = initial?.openedAt ?? null;
    this.consecutiveFailures = initial?.consecutiveFailures ?? 0;
    this.lastReason = initial?.lastReason ?? null;
    this.trips = initial?.trips ?? 0;
    this.reopenStreak = initial?.reopenStreak ?? (this.current === 'open' ? 1 : 0);
    this.recovery = options.probeRecovery === false ? undefined : { successes: 2, minOpenMs: 5000, stableAfterMs: 60_000, probeIntervalMs: 5000, ...options.probeRecovery };
  }

  get state(): CircuitState {
    this.refresh();
    return this.current;
  }

  tryAcquire(): BreakerPermit | undefined {
    this.refresh();
    if (this.current === 'closed') return new Permit(this, false);
    if (this.current !== 'half-open' || this.trialsInFlight >= this.halfOpenMax) return undefined;
    this.trialsInFlight += 1;
    return new Permit(this, true);
  }

  retryAfterMs(): number | null {
    this.refresh();
    if (this.current === 'isolated') return null;
    if (this.current !== 'open') return 0;
    const now = this.now();
    const cooldownLeft = Math.max(0, (this.openUntil ?? now) - now);
    const recovery = this.recovery;
    if (!recovery || !this.probed || this.lastReason === 'rate-limited' || this.openedAt === null) return cooldownLeft;
    const shortestLeft = this.openedAt + this.shortestOpenMs(recovery) - now;
    const probesLeft = Math.max(0, recovery.successes - this.probeSuccesses) * recovery.probeIntervalMs;
    return Math.min(cooldownLeft, Math.max(1000, shortestLeft, probesLeft));
  }

  answersProbes(): boolean {
    this.refresh();
    return this.current === 'open' && this.recovery !== undefined && this.lastReason !== 'rate-limited' && this.probeSuccesses > 0;
  }

  recordProbe(success: boolean): void {
    this.probed = true;
    if (!success) {
      this.probeSuccesses = 0;
      return;
    }
    this.probeSuccesses += 1;
    this.refresh();
  }

  isolate(): void {
    if (this.current !== 'isolated') this.transition('isolated', 'isolated');
  }

  reset(): void {
    if (this.current !== 'closed') this.transition('closed', 'reset');
    this.consecutiveFailures = 0;
    this.counter?.clear();
  }

  onStateChange(listener: (change: CircuitStateChange) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }

  toJSON(): CircuitBreakerSnapshot {
    this.refresh();
    return { state: this.current, consecutiveFailures: this.consecutiveFailures, openedAt: this.openedAt, openUntil: this.openUntil, lastReason: this.lastReason, trips: this.trips, reopenStreak: this.reopenStreak };
  }

  /** @internal Called by a permit, once. */
  settle(permit: Permit, outcome: 'success' | 'failure' | 'rate-limited' | 'release', retryAfterMs = 0): void {
    const current = permit.epoch === this.epoch;
    if (permit.trial && current) this.trialsInFlight -= 1;
    if (outcome === 'success') {
      this.consecutiveFailures = 0;
      this.counter?.record(this.now(), true);
      if (permit.trial && current && this.current === 'half-open' && (this.trialSuccesses += 1) >= this.successesToClose) this.transition('closed', 'trial-succeeded');
    } else if (outcome === 'failure') {
      this.consecutiveFailures += 1;
      this.counter?.record(this.now(), false);
      if (permit.trial && current && this.current === 'half-open') return this.open('trial-failed', this.cooldown());
      if (this.current !== 'closed') return;
      if (this.consecutiveFailures >= this.consecutiveLimit) return this.open('consecutive-failures', this.cooldown());
      const counts = this.counter?.counts(this.now());
      if (this.rate && counts && counts.total >= this.rate.minimumVolume && counts.failures / counts.total >= this.rate.threshold) this.open('failure-rate', this.cooldown());
    } else if (outcome === 'rate-limited') {
      if (this.current === 'isolated') return;
      const wait = Math.max(0, retryAfterMs);
      if (this.current === 'open' && this.openUntil !== null && this.openUntil >= this.now() + wait) return;
      this.open('rate-limited', wait);
    }
  }

  private cooldown(): number {
    const { cooldownMs } = this.options;
    return typeof cooldownMs === 'function' ? cooldownMs() : (cooldownMs ?? 300_000);
  }

  private refresh(): void {
    if (this.current !== 'open') return;
    if (this.openUntil !== null && this.now() >= this.openUntil) this.transition('half-open', 'cooldown-elapsed');
    else if (this.probesVouch()) this.transition('half-open', 'probes-succeeded');
  }

  /** Whether successful probes may return this open member now (never one the provider itself asked to wait). */
  private probesVouch(): boolean {
    const recovery = this.recovery;
    if (!recovery || this.lastReason === 'rate-limited' || this.probeSuccesses < recovery.successes || this.openedAt === null) return false;
    return this.now() - this.openedAt >= this.shortestOpenMs(recovery);
  }

  /** The shortest time open before probes may return the member: doubled for each reopen in a row, capped at the cooldown. */
  private shortestOpenMs(recovery: Required<ProbeRecoveryOptions>): number {
    return Math.min(recovery.minOpenMs * 2 ** Math.max(0, this.reopenStreak - 1), this.cooldown());
  }

  private open(reason: CircuitTransitionReason, durationMs: number): void {
    this.transition('open', reason, this.now() + durationMs);
  }

  private transition(to: CircuitState, reason: CircuitTransitionReason, until: number | null = null): void {
    const from = this.current;
    const at = this.now();
    this.current = to;
    this.lastReason = reason;
    this.openUntil = until;
    this.epoch += 1;
    this.trialsInFlight = 0;
    this.trialSuccesses = 0;
    if (to === 'open') {
      this.openedAt = at;
      this.trips += 1;
      this.probeSuccesses = 0;
      // A member that stayed closed a while starts over; one that reopens soon after waits twice as long.
      const stable = this.closedAt !== null && at - this.closedAt >= (this.recovery?.stableAfterMs ?? 0);
      this.reopenStreak = stable ? 1 : this.reopenStreak + 1;
    }
    if (to === 'closed') {
      this.consecutiveFailures = 0;
      this.closedAt = at;
      this.counter?.clear();
    }
    const change: CircuitStateChange = until === null ? { from, to, reason, at } : { from, to, reason, at, openUntil: until };
    for (const listener of this.listeners) listener(change);
  }
}

class Permit implements BreakerPermit {
  readonly epoch: number;
  private settled = false;

  constructor(
    private readonly breaker: DefaultCircuitBreaker,
    readonly trial: boolean,
  ) {
    this.epoch = breaker.epoch;
  }

  success(): void {
    this.settle('success');
  }

  failure(): void {
    this.settle('failure');
  }

  rateLimited(retryAfterMs: number): void {
    this.settle('rate-limited', retryAfterMs);
  }

  release(): void {
    this.settle('release');
  }

  private settle(outcome: 'success' | 'failure' | 'rate-limited' | 'release', retryAfterMs?: number): void {
    if (this.settled) return;
    this.settled = true;
    this.breaker.settle(this, outcome, retryAfterMs);
  }
}
