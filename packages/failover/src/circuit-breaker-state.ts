/** Where a breaker stands. `isolated` is forced open by an operator and stays so until reset. */
export type CircuitState = 'closed' | 'open' | 'half-open' | 'isolated';

/** Why a breaker changed state. */
export type CircuitTransitionReason = 'consecutive-failures' | 'failure-rate' | 'rate-limited' | 'trial-failed' | 'cooldown-elapsed' | 'probes-succeeded' | 'trial-succeeded' | 'isolated' | 'reset';

/** A state change, as `onStateChange` listeners get it. */
export interface CircuitStateChange {
  readonly from: CircuitState;
  readonly to: CircuitState;
  readonly reason: CircuitTransitionReason;
  /** When it happened (epoch ms, the breaker's clock). */
  readonly at: number;
  /** For `open`: when the breaker will admit a trial (epoch ms). */
  readonly openUntil?: number;
}

/** A breaker's serialisable state (`toJSON()`), accepted back as `initialState`. */
export interface CircuitBreakerSnapshot {
  readonly state: CircuitState;
  readonly consecutiveFailures: number;
  /** When the breaker last opened (epoch ms), or `null`. */
  readonly openedAt: number | null;
  /** While open: when a trial will be admitted (epoch ms), else `null`. */
  readonly openUntil: number | null;
  /** Why it last changed state, or `null`. */
  readonly lastReason: CircuitTransitionReason | null;
  /** How many times it has opened since it was created (or restored). */
  readonly trips: number;
  /** Opens in a row without a stable closed period between them: each doubles the shortest open time before probes may return the member. */
  readonly reopenStreak?: number;
}
