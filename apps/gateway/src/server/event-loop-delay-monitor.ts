import { performance } from 'node:perf_hooks';

/** Options of {@link createEventLoopDelayMonitor}. */
export interface EventLoopDelayMonitorOptions {
  /** How often the lag timer is due, in milliseconds. Default 20. */
  sampleIntervalMs?: number;
}

/** How far behind the event loop runs, read on each request. */
export interface EventLoopDelayMonitor {
  /**
   * The event loop's sustained delay now, in milliseconds: the smaller of the two latest observations
   * (how late the lag timer last fired, and the sample before it or how overdue the timer is at this
   * moment). One stall alone (an embedded PGlite query, a GC pause) is not overload; two late
   * observations in a row are.
   */
  delayMs(): number;
  /** Stops the lag timer. Idempotent. */
  dispose(): void;
}

/**
 * Measures event-loop delay with a lag timer: a timeout due every `sampleIntervalMs`, whose lateness
 * is the delay. It is used instead of `perf_hooks.monitorEventLoopDelay` because that histogram is
 * only updated when its own timer runs, and after a stall Node handles the queued sockets before the
 * timers phase comes round: the requests that queued up behind the stall would see the old, small
 * figure. Reading how overdue the timer is at request time sees a stall at once. A single stall is
 * not shed, though: the embedded PGlite runs its queries on this thread, and one long query (its
 * start-up, a migration) made the first requests after it 503 in CI. The timer is unref'd: it never
 * keeps the process alive.
 */
export function createEventLoopDelayMonitor({ sampleIntervalMs = 20 }: EventLoopDelayMonitorOptions = {}): EventLoopDelayMonitor {
  let dueAt = performance.now() + sampleIntervalMs;
  let lastSampleMs = 0;
  let previousSampleMs = 0;
  let timer: NodeJS.Timeout | undefined;
  const schedule = (): void => {
    timer = setTimeout(function sampleEventLoopDelay() {
      const now = performance.now();
      previousSampleMs = lastSampleMs;
      lastSampleMs = Math.max(0, now - dueAt);
      dueAt = now + sampleIntervalMs;
      schedule();
    }, sampleIntervalMs);
    timer.unref();
  };
  schedule();
  return {
    delayMs: () => Math.min(lastSampleMs, Math.max(previousSampleMs, performance.now() - dueAt)),
    dispose() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
