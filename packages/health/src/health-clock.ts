/** A handle returned by {@link HealthClock.setTimeout}. */
export type TimerHandle = unknown;

/**
 * Time and timers, injectable so tests run in virtual time. Every timer the monitor sets goes
 * through here and is cleared by `close()`.
 */
export interface HealthClock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs `callback` once after `delayMs` milliseconds. */
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  /** Cancels a timer set with {@link HealthClock.setTimeout}; a no-op for a fired or unknown handle. */
  clearTimeout(handle: TimerHandle): void;
}

/** The real clock: `Date.now()` and Node timers, unref'd so a monitor never keeps a process alive. */
export const systemClock: HealthClock = {
  now: () => Date.now(),
  setTimeout: (callback, delayMs) => {
    const timer = setTimeout(callback, delayMs);
    timer.unref?.();
    return timer;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Something that can be undone: returned by every `onX(listener)` and `addProbeTarget`. */
export interface Disposable {
  /** Removes the listener or target. Idempotent. */
  dispose(): void;
}
