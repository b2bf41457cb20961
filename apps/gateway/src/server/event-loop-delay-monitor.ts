import { performance } from 'node:perf_hooks';

/** Options of {@link createEventLoopDelayMonitor}. */
export interface EventLoopDelayMonitorOptions {
  /** How often the lag timer is due, in milliseconds. Default 20. */
  sampleIntervalMs?: number;
}

/** How far behind the event loop runs, read on each request. */
export interface EventLoopDelayMonitor {
  /**
   * The event loop's delay now, in milliseconds: the larger of the last sample (how late the lag timer
   * last fired) and how overdue it is at this moment.
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
 * figure. Reading how overdue the timer is at request time sees the stall at once. The timer is
 * unref'd: it never keeps the process alive.
 */
export function createEventLoopDelayMonitor({ sampleIntervalMs = 20 }: EventLoopDelayMonitorOptions = {}): EventLoopDelayMonitor {
  let dueAt = performance.now() + sampleIntervalMs;
  let lastSampleMs = 0;
  let timer: NodeJS.Timeout | undefined;
  const schedule = (): void => {
    timer = setTimeout(function sampleEventLoopDelay() {
      const now = performance.now();
      lastSampleMs = Math.max(0, now - dueAt);
      dueAt = now + sampleIntervalMs;
      schedule();
    }, sampleIntervalMs);
    timer.unref();
  };
  schedule();
  return {
    delayMs: () => Math.max(lastSampleMs, performance.now() - dueAt),
    dispose() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
