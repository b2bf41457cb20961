/**
 * An open-model load generator: request `i` is scheduled at `start + i / rate` whatever happened to the
 * earlier ones, and its latency runs from that scheduled time, not from when it was actually sent. A
 * slow server therefore shows up as queueing in the figures instead of quietly lowering the offered rate
 * (no coordinated omission: the closed-loop "send, wait, send" clients of most benchmarks hide exactly
 * the stalls users see). How late the generator itself sent each request is kept apart (`sendLagMs`), so
 * its own jitter on a busy machine can be told from the server's.
 */

/** One request of an open-model run. */
export interface OpenLoadRequest {
  /** Sequence number, from 0. */
  readonly index: number;
}

/** What a request reports back; `providerMs` is the backend's own time for it, when known. */
export interface OpenLoadAnswer {
  readonly providerMs?: number;
}

/** Options of {@link runOpenLoad}. */
export interface OpenLoadOptions {
  /** Offered rate (requests per second). */
  readonly rate: number;
  /** How long requests are launched for (ms). */
  readonly durationMs: number;
  /** Sends one request; rejects on failure. */
  readonly send: (request: OpenLoadRequest) => Promise<OpenLoadAnswer | void>;
  /** Past this many requests in flight, a due request is not sent and counted in `shed` (bounds a run against a server that stalls). Default 2,000. */
  readonly maxInFlight?: number;
  /** How long to wait for the last requests after launching stops (ms). Default 30,000. */
  readonly drainMs?: number;
}

/** The samples of an open-model run (latencies in ms). */
export interface OpenLoadResult {
  readonly offeredRate: number;
  /** Successful answers per second over the whole run (launch period plus drain). */
  readonly achievedRate: number;
  readonly scheduled: number;
  readonly completed: number;
  readonly failed: number;
  /** Due requests not sent because `maxInFlight` were already waiting. */
  readonly shed: number;
  /** Requests still unanswered when the drain period ended. */
  readonly unanswered: number;
  /** Scheduled send time to answer, per successful request. */
  readonly latencyMs: number[];
  /** The backend's own time per successful request that reported one (same order as `latencyMs`, NaN where unknown). */
  readonly providerMs: number[];
  /** How late each request was sent against its schedule (the generator's own jitter). */
  readonly sendLagMs: number[];
  /** The first few failures' messages. */
  readonly errors: string[];
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `send` at a fixed rate for `durationMs` (see the module comment) and collects the samples. */
export async function runOpenLoad({ rate, durationMs, send, maxInFlight = 2_000, drainMs = 30_000 }: OpenLoadOptions): Promise<OpenLoadResult> {
  const intervalMs = 1000 / rate;
  const total = Math.max(1, Math.round((rate * durationMs) / 1000));
  const latencyMs: number[] = [];
  const providerMs: number[] = [];
  const sendLagMs: number[] = [];
  const errors: string[] = [];
  let failed = 0;
  let shed = 0;
  let inFlight = 0;
  const pending = new Set<Promise<void>>();
  const start = performance.now();
  let launched = 0;
  while (launched < total) {
    const now = performance.now();
    // Every request that is due goes now; timers fire late on a busy machine, so a tick may launch several.
    while (launched < total && start + launched * intervalMs <= now) {
      const index = launched;
      const scheduledAt = start + index * intervalMs;
      launched += 1;
      if (inFlight >= maxInFlight) {
        shed += 1;
        continue;
      }
      inFlight += 1;
      sendLagMs.push(performance.now() - scheduledAt);
      const done: Promise<void> = send({ index }).then(
        (answer) => {
          latencyMs.push(performance.now() - scheduledAt);
          providerMs.push(answer?.providerMs ?? Number.NaN);
        },
        (error: unknown) => {
          failed += 1;
          if (errors.length < 5) errors.push(error instanceof Error ? error.message : String(error));
        },
      );
      const tracked = done.finally(() => {
        inFlight -= 1;
        pending.delete(tracked);
      });
      pending.add(tracked);
    }
    const nextDue = start + launched * intervalMs - performance.now();
    // setTimeout sleeps at least ~1 ms: at rates above 1,000/s each tick launches a small batch.
    if (launched < total) await sleep(Math.max(0, Math.min(nextDue, 5)));
  }
  const drained = await Promise.race([Promise.all(pending).then(() => true), sleep(drainMs).then(() => false)]);
  const elapsedSeconds = (performance.now() - start) / 1000;
  return {
    offeredRate: rate,
    achievedRate: latencyMs.length / Math.max(elapsedSeconds, durationMs / 1000),
    scheduled: total,
    completed: latencyMs.length,
    failed,
    shed,
    unanswered: drained ? 0 : pending.size,
    latencyMs,
    providerMs,
    sendLagMs,
    errors,
  };
}
