interface Transition {
  readonly at: number;
  readonly up: boolean;
}

/**
 * Remembers when a provider went up or down and answers "what fraction of the observed part of the
 * last `windowMs` was it up". Time before the first observation does not count either way.
 */
export class UptimeTracker {
  private transitions: Transition[] = [];

  /**
   * @param retentionMs how much history to keep (the longest window asked about)
   */
  constructor(private readonly retentionMs: number) {}

  /** Whether the provider is up now; `true` before any observation. */
  get up(): boolean {
    return this.transitions.at(-1)?.up ?? true;
  }

  /** Records the provider's state at `at`; repeated states are ignored. */
  set(at: number, up: boolean): void {
    if (this.transitions.length > 0 && this.up === up) return;
    this.transitions.push({ at, up });
    this.prune(at);
  }

  /** Fraction in [0, 1] of the observed part of `[now - windowMs, now]` spent up; 1 when nothing was observed. */
  uptime(now: number, windowMs: number): number {
    return this.between(now - windowMs, now);
  }

  /** Fraction in [0, 1] of the observed part of `[from, to]` spent up; the current state's value when nothing was observed. */
  between(from: number, to: number): number {
    const now = to;
    let upMs = 0;
    let observedMs = 0;
    this.transitions.forEach((transition, index) => {
      const start = Math.max(transition.at, from);
      const end = Math.min(this.transitions[index + 1]?.at ?? now, now);
      if (end <= start) return;
      observedMs += end - start;
      if (transition.up) upMs += end - start;
    });
    return observedMs === 0 ? (this.up ? 1 : 0) : upMs / observedMs;
  }

  private prune(now: number): void {
    const from = now - this.retentionMs;
    // Keep the last transition before the window: it says what state the window started in.
    while (this.transitions.length > 1 && this.transitions[1]!.at <= from) this.transitions.shift();
  }
}
