/**
 * Fault switches of the mem0 wire server. Set fields on `server.faults` at any time; they apply to
 * the requests that arrive afterwards. `reset()` turns every switch off.
 */
export interface Mem0WireFaults {
  /** Answer with this server error instead of the route's answer. */
  failWith: 500 | 502 | 503 | undefined;
  /** Answer 429 with `Retry-After: <seconds>`. */
  rateLimitSeconds: number | undefined;
  /** Never answer (the socket stays open until the client gives up or the server closes). */
  hang: boolean;
  /** Send the headers and half of the body, then destroy the socket. The route still runs. */
  closeMidBody: boolean;
  /** Answer 200 with a body that is not valid JSON. The route still runs. */
  malformedJson: boolean;
  /** Wait this long (ms) before answering. */
  latencyMs: number;
  /** Asynchronous events (adds, deletes) stay PENDING this long (ms) before they resolve. */
  eventDelayMs: number;
  /** How a resolved event ends: stored and SUCCEEDED, FAILED with nothing stored, or SUCCEEDED with empty results and nothing stored. */
  eventOutcome: 'SUCCEEDED' | 'FAILED' | 'EMPTY';
  /** Platform: answer every add with `{event_id, status: "PENDING"}`, even with `infer: false`. */
  asyncAdds: boolean;
  /** Only requests whose `METHOD /path` matches are affected by failWith/rateLimit/hang/closeMidBody/malformedJson/latency. */
  only: RegExp | undefined;
  /** How many matching requests to let through untouched before the request faults start. Default 0. */
  skip: number;
  /** How many more requests the request faults apply to; `undefined` for all of them. */
  times: number | undefined;
  /** Turns every switch off. */
  reset(): void;
}

const defaults = {
  failWith: undefined,
  rateLimitSeconds: undefined,
  hang: false,
  closeMidBody: false,
  malformedJson: false,
  latencyMs: 0,
  eventDelayMs: 0,
  eventOutcome: 'SUCCEEDED',
  asyncAdds: false,
  only: undefined,
  skip: 0,
  times: undefined,
} as const;

/** Creates a set of fault switches, all off. */
export function createMem0WireFaults(): Mem0WireFaults {
  const faults: Mem0WireFaults = {
    ...defaults,
    reset() {
      Object.assign(faults, defaults);
    },
  };
  return faults;
}

/** True when the request faults apply to this request; consumes one of `times`. */
export function takeRequestFault(faults: Mem0WireFaults, method: string, path: string): boolean {
  const armed =
    faults.failWith !== undefined || faults.rateLimitSeconds !== undefined || faults.hang || faults.closeMidBody || faults.malformedJson || faults.latencyMs > 0;
  if (!armed) return false;
  if (faults.only && !faults.only.test(`${method} ${path}`)) return false;
  if (faults.skip > 0) {
    faults.skip -= 1;
    return false;
  }
  if (faults.times !== undefined) {
    if (faults.times <= 0) return false;
    faults.times -= 1;
  }
  return true;
}
