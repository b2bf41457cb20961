import { MemoryError, ProviderTimeoutError, ProviderUnavailableError } from '@memgate/core';
import type { HealthClock, TimerHandle } from './health-clock.js';
import type { HealthOutcome, HealthProbe } from './health-monitor.js';

/** What a probe loop needs to know about its provider to pick the next delay. */
export interface ProbeLoopContext {
  readonly clock: HealthClock;
  observe(outcome: HealthOutcome): void;
  /** Whether the provider is failing (any consecutive failure) right now. */
  failing(): boolean;
  /** When the last passive observation happened, or `null`. */
  lastRequestAt(): number | null;
  /** Whether someone (a breaker that ejected the provider) waits for probes to vouch for its return. */
  recoveryAwaited(): boolean;
}

/** Resolved delays of one probe target, in milliseconds. */
export interface ProbeDelays {
  readonly intervalMs: number;
  readonly unhealthyIntervalMs: number;
  readonly idleIntervalMs: number;
  readonly timeoutMs: number;
}

/** Successful probes after a failure that still come at the unhealthy cadence. */
export const recoveryConfirmations = 3;

/**
 * Runs one provider's probe on an adaptive schedule. Never overlaps itself: the next probe is scheduled
 * only after the previous one settled (or timed out), so a hanging backend cannot pile probes up.
 * @returns the loop: stop it, or tell it a request failed
 */
export function startProbeLoop(probe: HealthProbe, delays: ProbeDelays, context: ProbeLoopContext): ProbeLoop {
  const { clock } = context;
  let stopped = false;
  let timer: TimerHandle | undefined;
  // A provider coming back is probed at the fast cadence a few more times: breakers return an ejected
  // member after consecutive successful probes, and those should come seconds apart, not an interval.
  let confirmationsLeft = 0;

  const nextDelay = (): number => {
    if (context.failing() || confirmationsLeft > 0 || context.recoveryAwaited()) return delays.unhealthyIntervalMs;
    const lastRequestAt = context.lastRequestAt();
    const idle = lastRequestAt === null || clock.now() - lastRequestAt >= delays.intervalMs;
    return idle ? delays.idleIntervalMs : delays.intervalMs;
  };

  const runOnce = async (): Promise<void> => {
    const controller = new AbortController();
    const started = clock.now();
    let timeout: TimerHandle | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        timeout = clock.setTimeout(() => {
          controller.abort();
          reject(new ProviderTimeoutError({ message: `the probe took longer than ${delays.timeoutMs} ms` }));
        }, delays.timeoutMs);
        probe(controller.signal).then(() => resolve(), reject);
      });
      confirmationsLeft = Math.max(0, confirmationsLeft - 1);
      if (!stopped) context.observe({ latencyMs: clock.now() - started, source: 'probe' });
    } catch (error) {
      // A probe that throws something that is not a core error still means "no answer".
      const counted = MemoryError.isInstance(error) ? error : new ProviderUnavailableError({ message: `the probe failed: ${error instanceof Error ? error.message : String(error)}`, cause: error });
      confirmationsLeft = recoveryConfirmations;
      if (!stopped) context.observe({ latencyMs: clock.now() - started, error: counted, source: 'probe' });
    } finally {
      clock.clearTimeout(timeout);
    }
  };

  let dueAt = clock.now();
  const schedule = (delayMs: number): void => {
    dueAt = clock.now() + delayMs;
    timer = clock.setTimeout(tick, delayMs);
  };
  const tick = (): void => {
    timer = undefined;
    if (stopped) return;
    void runOnce().then(() => {
      if (!stopped) schedule(nextDelay());
    });
  };

  schedule(0);
  return {
    stop() {
      stopped = true;
      if (timer !== undefined) clock.clearTimeout(timer);
    },
    failureSeen() {
      // A probe waiting out the healthy or idle interval comes at the failing cadence instead: a crash
      // seen by requests is confirmed, and its recovery noticed, in seconds, not after a minute. The
      // confirmations keep that cadence when the fault is over before the probe (a short outage, resets):
      // the probe succeeds, and the ones after it must still come seconds apart.
      confirmationsLeft = recoveryConfirmations;
      hurry();
    },
    recoveryAwaited: hurry,
  };

  function hurry(): void {
    if (stopped || timer === undefined || dueAt - clock.now() <= delays.unhealthyIntervalMs) return;
    clock.clearTimeout(timer);
    schedule(delays.unhealthyIntervalMs);
  }
}

/** A running probe loop. */
export interface ProbeLoop {
  stop(): void;
  /** A request to the provider failed: the next probe comes within the unhealthy interval. */
  failureSeen(): void;
  /** Someone started waiting for the provider's recovery: the next probe comes within the unhealthy interval. */
  recoveryAwaited(): void;
}
