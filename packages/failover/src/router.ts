import { AbortedError, MemoryError, ProviderTimeoutError, ProviderUnavailableError, type MemoryProviderV1 } from '@memgate/core';
import { classifyOutcome, type HealthMonitor, type HealthSnapshot } from '@memgate/health';
import type { BreakerPermit } from './circuit-breaker.js';
import type { FailoverCallOptions } from './failover-call-options.js';
import type { MemberFilter, PoolMember } from './pool-member.js';
import type { RetryBudget } from './retry-budget.js';
import type { OperationKind, PoolOperation, RoutingAttempt, RoutingDecision, RoutingSkip } from './routing-decision.js';
import type { RoutingStrategy } from './routing-strategy.js';
import { runAttempt } from './run-attempt.js';

/** What to do when every breaker is open: fail fast with a retry-after hint, or try the least-bad member once. */
export type PanicMode = 'fail-fast' | 'least-bad';

/** Everything the router needs; owned by the pool. */
export interface RouterSettings {
  readonly pool: string;
  readonly members: readonly PoolMember[];
  readonly strategy: () => { readonly name: string; readonly order: RoutingStrategy };
  readonly health: HealthMonitor;
  readonly budget: RetryBudget;
  readonly maxAttempts: number;
  readonly attemptTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
  /** See `FailoverRetryOptions.hedgeReadsAfterMs`. Default: adaptive. */
  readonly hedgeReadsAfterMs?: number | false;
  readonly panic: PanicMode;
  /** The panic mode of reads (a read tried on the least-bad member risks nothing; a pool's default is `least-bad`). Default: `panic`. */
  readonly readPanic?: PanicMode;
  readonly memberFilter?: MemberFilter;
  readonly record: (decision: RoutingDecision) => void;
}

/** Runs one operation over the pool. */
export type RouterCall<T> = (provider: MemoryProviderV1, options: FailoverCallOptions) => Promise<T>;

/** The router: the pool's single retry owner. */
export interface Router {
  /** Runs an operation over the pool: strategy order, breakers, timeouts, fallbacks, budgets. `admit` narrows the members for this request only (read-your-writes). */
  execute<T>(kind: OperationKind, operation: PoolOperation, call: RouterCall<T>, options?: FailoverCallOptions, admit?: (member: string) => boolean): Promise<T>;
  /**
   * Runs an operation on one named member only, through its breaker, timeouts, health and decision
   * history, with no fallback to others (for a replicator delivering to a specific member).
   * @throws ProviderUnavailableError when that member is forced out, draining, filtered or unknown
   */
  executeOn<T>(member: string, kind: OperationKind, operation: PoolOperation, call: RouterCall<T>, options?: FailoverCallOptions): Promise<T>;
}

/**
 * Creates the router. Per request: filter members (admin state, member filter), order them with the
 * strategy, demote members the monitor calls unhealthy or cooling down, then walk the order: each member's
 * breaker admits or skips it, each attempt gets its own timeout inside the request's deadline, every
 * outcome feeds the monitor and the breaker, and retryable failures move on to the next member while the
 * per-request attempt limit and the global retry budget allow. Later passes over the order back off, and
 * retry on each member only while its own `retryAttempts` allows: a retry of the same member comes after
 * every other member was tried (Envoy's `previous_hosts`), so a dead primary costs one attempt, not several.
 * A member with a request ceiling (`maxRequestsPerSecond`) spends a token per call; with none left it is
 * passed over like a busy host (`at-ceiling`), with nothing counted against its breaker, its health or the
 * retry budget. When every member that could take a request is at its ceiling, the request fails fast
 * with a retryable `ProviderUnavailableError` (503) whose `retryAfterMs` is the wait for the soonest token.
 * `executeOn` has nowhere else to go: it queues for the member's next token, within the request's deadline.
 */
export function createRouter(settings: RouterSettings): Router {
  let sequence = 0;
  return {
    execute(kind, operation, call, options = {}, admit) {
      return new RouterRequest(settings, sequence++, kind, operation, options, undefined, admit).run(call);
    },
    executeOn(member, kind, operation, call, options = {}) {
      return new RouterRequest(settings, sequence++, kind, operation, options, member).run(call);
    },
  };
}

/** Whether the member may take one more call under its ceiling (always, without one). */
const hasToken = (member: PoolMember): boolean => member.ceiling === undefined || member.ceiling.bucket.available() >= 1;

const describeError = (error: unknown): { name: string; message: string } => (error instanceof Error ? { name: error.name, message: error.message } : { name: 'Error', message: String(error) });
const round = (value: number): number => Math.round(value * 1000) / 1000;

/** One request's walk over the pool. A class, not closures: this is the hot path. */
class RouterRequest {
  private readonly started = performance.now();
  private readonly startedAt = Date.now();
  private readonly deadline: number;
  private readonly strategyName: string;
  private readonly eligible: PoolMember[];
  private readonly order: PoolMember[];
  private readonly attempts: RoutingAttempt[] = [];
  private readonly skipped: RoutingSkip[] = [];
  private memberTimeMs = 0;
  private backoffMs = 0;
  private panic = false;
  /** Time spent queued for a member's token (`executeOn` only): neither member time nor router overhead. */
  private ceilingWaitMs = 0;
  /** Members passed over at their ceiling in this request. */
  private readonly atCeiling = new Set<PoolMember>();
  /** Whether this request may go to one member only (`executeOn`): it queues for a token instead of skipping. */
  private readonly single: boolean;
  private readonly health: HealthSnapshot;
  /** Members a hedge already tried in this pass: the walk does not try them again right after. */
  private readonly hedged = new Set<PoolMember>();

  constructor(
    private readonly settings: RouterSettings,
    private readonly sequence: number,
    private readonly kind: OperationKind,
    private readonly operation: PoolOperation,
    private readonly options: FailoverCallOptions,
    only: string | undefined,
    admit?: (member: string) => boolean,
  ) {
    this.deadline = Math.min(options.deadline ?? Number.POSITIVE_INFINITY, this.startedAt + settings.requestTimeoutMs);
    this.single = only !== undefined;
    const strategy = settings.strategy();
    this.strategyName = strategy.name;
    const filter = settings.memberFilter;
    this.eligible = settings.members.filter((member) => (only === undefined || member.name === only) && (admit === undefined || admit(member.name)) && member.adminState === 'active' && (filter === undefined || filter({ name: member.name, provider: member.provider }, { kind, operation })));
    const health = settings.health.snapshot();
    this.health = health;
    const ordered: PoolMember[] = [];
    for (const candidate of strategy.order(this.eligible, { health, sequence })) {
      const member = this.eligible.find((entry) => entry.name === candidate.name);
      if (member && !ordered.includes(member)) ordered.push(member);
    }
    // A custom strategy that drops or invents members cannot shrink the pool: the dropped ones follow.
    if (ordered.length < this.eligible.length) for (const member of this.eligible) if (!ordered.includes(member)) ordered.push(member);
    this.order = healthGate(ordered, health, this.startedAt);
  }

  async run<T>(call: RouterCall<T>): Promise<T> {
    const { settings } = this;
    const endRequest = settings.budget.requestStarted();
    try {
      if (this.order.length === 0) throw this.nobodyCanServe();
      let lastError: unknown;
      for (let pass = 0; this.attempts.length < settings.maxAttempts; pass += 1) {
        if (pass > 0) {
          // Every member has spent its own retries: say so, and end without a backoff that would try nothing.
          if (!this.order.some((member) => this.mayRetry(member))) {
            for (const member of this.order) this.skipped.push({ provider: member.name, reason: 'retry-limit' });
            break;
          }
          if (!(await this.backoff(pass))) break;
        }
        const attemptsBefore = this.attempts.length;
        for (const member of this.order) {
          this.throwIfEnded();
          if (this.attempts.length >= settings.maxAttempts) {
            this.skipped.push({ provider: member.name, reason: 'attempt-limit' });
            break;
          }
          if (!this.mayRetry(member)) {
            this.skipped.push({ provider: member.name, reason: 'retry-limit' });
            continue;
          }
          if (this.hedged.delete(member)) continue;
          // A single-member call queues for the member's next token (taken now, so later callers wait behind it).
          const queued = this.single && !hasToken(member) ? await this.queueForToken(member) : false;
          if (this.single && member.ceiling && !queued && !hasToken(member)) {
            this.skipAtCeiling(member);
            continue;
          }
          const permit = member.breaker.tryAcquire();
          if (!permit) {
            if (queued) member.ceiling!.bucket.take(-1);
            const state = member.breaker.state;
            this.skipped.push({ provider: member.name, reason: state === 'isolated' ? 'isolated' : state === 'half-open' ? 'half-open-busy' : 'breaker-open' });
            continue;
          }
          // At its ceiling: passed over like a busy host. Not a failure: breaker, health and budget see nothing.
          if (!queued && !hasToken(member)) {
            permit.release();
            this.skipAtCeiling(member);
            continue;
          }
          // The first fallback to another member whose breaker is closed needs no budget token: refusing it
          // turns one dead member into client errors while a healthy one idles, and it adds at most one
          // attempt per request, on a different member. Retries of the same member, second fallbacks and
          // later passes are what can storm, so only they draw on the global budget.
          const freeFallback = this.attempts.length === 1 && this.attempts[0]!.provider !== member.name && member.breaker.state === 'closed';
          const retryToken = this.attempts.length === 0 || freeFallback ? undefined : settings.budget.tryAcquireRetry();
          if (this.attempts.length > 0 && !freeFallback && !retryToken) {
            permit.release();
            if (queued) member.ceiling!.bucket.take(-1);
            this.skipped.push({ provider: member.name, reason: 'retry-budget' });
            throw lastError;
          }
          if (!queued) member.ceiling?.bucket.take(1);
          try {
            const { result, served } = this.kind === 'read' ? await this.hedgedAttempt(member, permit, call) : { result: await this.attempt(member, permit, call, permit.trial, false), served: member };
            this.finish(served.name);
            return result;
          } catch (error) {
            lastError = error;
            this.throwIfEnded();
            if (!(MemoryError.isInstance(error) && error.isRetryable)) throw error;
          } finally {
            retryToken?.();
          }
        }
        if (this.attempts.length === attemptsBefore) break;
      }
      if (this.attempts.length > 0) throw lastError;
      if (this.atCeiling.size > 0) throw this.everyoneAtCeiling();
      return await this.allBreakersOpen(call);
    } catch (error) {
      this.finish(null, error);
      throw error;
    } finally {
      endRequest();
    }
  }

  /** Whether the member's own `retryAttempts` allows one more attempt on it in this request. */
  private mayRetry(member: PoolMember): boolean {
    if (member.retryAttempts === undefined) return true;
    let made = 0;
    for (const attempt of this.attempts) if (attempt.provider === member.name) made += 1;
    return made <= member.retryAttempts;
  }

  /** Records that `member` was passed over at its ceiling. */
  private skipAtCeiling(member: PoolMember): void {
    this.skipped.push({ provider: member.name, reason: 'at-ceiling' });
    this.atCeiling.add(member);
    member.ceiling!.skips += 1;
  }

  /**
   * Takes the member's next token ahead of time and waits until it is due (`executeOn`): `true` once it
   * is, `false` (nothing taken) when the wait would pass the request's deadline.
   */
  private async queueForToken(member: PoolMember): Promise<boolean> {
    const bucket = member.ceiling!.bucket;
    const wait = bucket.waitMs(1);
    if (Date.now() + wait >= this.deadline) return false;
    bucket.take(1);
    const started = performance.now();
    await sleep(wait, this.options.signal);
    this.ceilingWaitMs += performance.now() - started;
    try {
      this.throwIfEnded();
    } catch (error) {
      bucket.take(-1);
      throw error;
    }
    return true;
  }

  /** No attempt was made and at least one member was passed over at its ceiling: a 503 with the wait for the soonest token. */
  private everyoneAtCeiling(): ProviderUnavailableError {
    const full = [...this.atCeiling];
    const wait = Math.max(1, Math.ceil(Math.min(...full.map((member) => member.ceiling!.bucket.waitMs(1)))));
    const others = this.skipped.filter((skip) => skip.reason !== 'at-ceiling' && !full.some((member) => member.name === skip.provider)).map((skip) => `${skip.provider}: ${skip.reason}`);
    const ceilings = full.map((member) => `${member.name}: at its ceiling of ${member.ceiling!.requestsPerSecond} requests/s`);
    // No `providerId`, like the pool's other refusals (every breaker open): the pool's own answer, which a gateway may show the caller as is.
    return new ProviderUnavailableError({ message: `pool ${this.settings.pool}: no member can take ${this.operation} now (${[...ceilings, ...others].join('; ')})`, retryAfterMs: wait });
  }

  /** No member may take this request at all: why, per member, and when one may (Retry-After). */
  private nobodyCanServe(): ProviderUnavailableError {
    const { members, pool } = this.settings;
    const reasons = members.map((member) => `${member.name}: ${member.adminState !== 'active' ? member.adminState : member.breaker.state === 'closed' ? 'not admitted (misses writes this request needs)' : `breaker ${member.breaker.state}`}`);
    const waits = members.filter((member) => member.adminState === 'active').map((member) => member.breaker.retryAfterMs()).filter((wait): wait is number => wait !== null && wait > 0);
    return new ProviderUnavailableError({ message: `pool ${pool} has no member that can serve ${this.operation} now (${reasons.join('; ') || 'no members'})`, retryAfterMs: waits.length > 0 ? Math.min(...waits) : 1000 });
  }

  /** Every breaker refused: panic to the least-bad member, or fail fast with a hint. */
  private async allBreakersOpen<T>(call: RouterCall<T>): Promise<T> {
    const waits = this.order.map((member) => member.breaker.retryAfterMs()).filter((wait): wait is number => wait !== null);
    const retryAfter = waits.length > 0 ? { retryAfterMs: Math.max(1, Math.min(...waits)) } : {};
    const mode = this.kind === 'read' ? (this.settings.readPanic ?? this.settings.panic) : this.settings.panic;
    // A write panics to the least-bad member once; a read, which changes nothing, to each in least-bad order.
    // Even failing fast, a member whose breaker waits only for its probes to vouch for it (they succeed:
    // it answers) is tried once: refusing every call while a live member sits out its shortest open time
    // turns a rolling failure into an outage.
    const ranked = rankLeastBad(this.order, this.settings.health);
    // A panic attempt goes past a breaker, never past a ceiling: that is the backend's owner's limit.
    const underCeiling = ranked.filter(hasToken);
    const candidates = mode === 'least-bad' ? underCeiling.slice(0, this.kind === 'read' ? this.settings.maxAttempts : 1) : underCeiling.filter((member) => member.breaker.answersProbes()).slice(0, 1);
    let lastError: MemoryError | undefined;
    for (const member of candidates) {
      this.panic = true;
      this.throwIfEnded();
      if (!hasToken(member)) continue;
      member.ceiling?.bucket.take(1);
      try {
        const result = await this.attempt(member, undefined, call, false, true);
        this.finish(member.name);
        return result;
      } catch (error) {
        if (!(MemoryError.isInstance(error) && error.isRetryable)) throw error;
        lastError = error;
      }
    }
    const tried = lastError ? `, and the least-bad member${candidates.length > 1 ? 's' : ''} (${candidates.map((member) => member.name).join(', ')}) failed too: ${lastError.message}` : '';
    throw new ProviderUnavailableError({ message: `pool ${this.settings.pool}: every member's circuit breaker is open${tried}`, ...(lastError ? { cause: lastError } : {}), ...retryAfter });
  }

  /**
   * A read attempt that, when it has not answered within the hedge delay, races one more on the next
   * member in order whose breaker is closed (a request's first hedge is free, later ones draw on the retry
   * budget, as fallbacks do); the first success wins and the slower
   * attempt runs on to its own timeout, which its member's health and breaker count. A blackholed primary
   * then costs a read the hedge delay, not the attempt timeout.
   * @throws the error of the last attempt to fail, when both fail
   */
  private async hedgedAttempt<T>(member: PoolMember, permit: BreakerPermit, call: RouterCall<T>): Promise<{ result: T; served: PoolMember }> {
    const first = this.attempt(member, permit, call, permit.trial, false).then((result) => ({ result, served: member }));
    const delay = this.hedgeDelayMs(member);
    if (delay === undefined) return first;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = await Promise.race([first.then(() => false, () => false), new Promise<boolean>((resolve) => (timer = setTimeout(resolve, delay, true)))]);
    clearTimeout(timer);
    if (!late || Date.now() >= this.deadline || this.attempts.length + 1 >= this.settings.maxAttempts) return first;
    const next = this.order.find((other) => other !== member && other.breaker.state === 'closed' && this.mayRetry(other));
    if (next && !hasToken(next)) {
      this.skipAtCeiling(next);
      return first;
    }
    const nextPermit = next?.breaker.tryAcquire();
    if (!next || !nextPermit) return first;
    // Like a first fallback, a request's first hedge (one more attempt, on a different member whose breaker
    // is closed) needs no budget token: with a blackholed primary every read hedges at once, and a budget of
    // three would leave the fourth concurrent read waiting out the attempt timeout.
    const token = this.attempts.length === 0 ? () => {} : this.settings.budget.tryAcquireRetry();
    if (!token) {
      nextPermit.release();
      return first;
    }
    next.ceiling?.bucket.take(1);
    this.hedged.add(next);
    const second = this.attempt(next, nextPermit, call, nextPermit.trial, false)
      .then((result) => ({ result, served: next }))
      .finally(token);
    return firstSuccess(first, second);
  }

  /** How long a read waits on a member before hedging: fixed, or 4 × its p99 over the last minute within 100–1000 ms. */
  private hedgeDelayMs(member: PoolMember): number | undefined {
    const setting = this.settings.hedgeReadsAfterMs;
    if (setting === false || this.order.length < 2) return undefined;
    if (setting !== undefined) return setting;
    const p99 = this.health.providers[member.name]?.windows['1m'].latencyMs?.p99;
    return p99 === undefined ? 1000 : Math.min(1000, Math.max(100, 4 * p99));
  }

  /** One attempt on one member: the result, or the member's error after bookkeeping. */
  private async attempt<T>(member: PoolMember, permit: BreakerPermit | undefined, call: RouterCall<T>, trial: boolean, panic: boolean): Promise<T> {
    const { options, settings } = this;
    const attemptDeadline = Math.min(this.deadline, Date.now() + settings.attemptTimeoutMs);
    const attemptStarted = performance.now();
    member.inFlight += 1;
    member.counters.attempts += 1;
    try {
      const result = await runAttempt((signal) => call(member.provider, { ...options, signal, deadline: attemptDeadline }), attemptDeadline, options.signal, member.name);
      const durationMs = performance.now() - attemptStarted;
      this.memberTimeMs += durationMs;
      permit?.success();
      member.counters.successes += 1;
      member.counters.served += 1;
      settings.health.observe(member.name, { latencyMs: durationMs });
      this.attempts.push(attemptRecord(member.name, attemptStarted - this.started, durationMs, 'success', undefined, trial, panic));
      return result;
    } catch (error) {
      const durationMs = performance.now() - attemptStarted;
      this.memberTimeMs += durationMs;
      const outcome = classifyOutcome(error);
      if (outcome.kind === 'failure') {
        permit?.failure();
        member.counters.failures += 1;
      } else if (outcome.kind === 'rate-limited') permit?.rateLimited(outcome.retryAfterMs ?? 1000);
      else permit?.release();
      settings.health.observe(member.name, { latencyMs: durationMs, error });
      this.attempts.push(attemptRecord(member.name, attemptStarted - this.started, durationMs, outcome.kind, error, trial, panic));
      throw error;
    } finally {
      member.inFlight -= 1;
      if (member.inFlight === 0 && member.idleWaiters.length > 0) for (const wake of member.idleWaiters.splice(0)) wake();
    }
  }

  /** Waits before another pass; `false` when the wait would pass the deadline. */
  private async backoff(pass: number): Promise<boolean> {
    const wait = Math.random() * Math.min(this.settings.backoffMaxMs, this.settings.backoffBaseMs * 2 ** (pass - 1));
    if (Date.now() + wait >= this.deadline) return false;
    this.backoffMs += wait;
    await sleep(wait, this.options.signal);
    return true;
  }

  private throwIfEnded(): void {
    const { signal } = this.options;
    if (signal?.aborted) throw new AbortedError({ message: 'the call was aborted', cause: signal.reason });
    if (Date.now() >= this.deadline) throw new ProviderTimeoutError({ message: `pool ${this.settings.pool}: the request passed its deadline` });
  }

  private finish(chosen: string | null, error?: unknown): void {
    const durationMs = performance.now() - this.started;
    const decision: RoutingDecision = {
      id: `${this.settings.pool}-${this.startedAt.toString(36)}-${this.sequence}`,
      pool: this.settings.pool,
      ...(this.options.requestId === undefined ? {} : { requestId: this.options.requestId }),
      operation: this.operation,
      kind: this.kind,
      startedAt: this.startedAt,
      durationMs: round(durationMs),
      strategy: this.strategyName,
      candidates: this.eligible.map((member) => member.name),
      order: this.order.map((member) => member.name),
      // Copies: a hedged read's slower attempt settles after the decision.
      attempts: [...this.attempts],
      skipped: [...this.skipped],
      chosen,
      fallbacks: Math.max(0, this.attempts.length - 1),
      overheadMs: round(Math.max(0, durationMs - this.memberTimeMs - this.backoffMs - this.ceilingWaitMs)),
      panic: this.panic,
      outcome: error === undefined ? 'success' : 'failure',
      ...(error === undefined ? {} : { error: describeError(error) }),
    };
    this.settings.record(decision);
    this.options.onDecision?.(decision);
  }
}

function attemptRecord(provider: string, offsetMs: number, durationMs: number, outcome: RoutingAttempt['outcome'], error: unknown, trial: boolean, panic: boolean): RoutingAttempt {
  return {
    provider,
    startedAtMs: round(offsetMs),
    durationMs: round(durationMs),
    outcome,
    ...(error === undefined ? {} : { error: { ...describeError(error), retryable: MemoryError.isInstance(error) && error.isRetryable } }),
    ...(trial ? { trial: true } : {}),
    ...(panic ? { panic: true } : {}),
  };
}

/**
 * Members the monitor calls unhealthy or cooling down go last, keeping the strategy's order otherwise.
 * A member whose breaker waits for a half-open trial is exempt: demoting it would starve the trial that
 * is its only way back when nothing else sends it traffic.
 */
function healthGate(ordered: PoolMember[], snapshot: HealthSnapshot, now: number): PoolMember[] {
  let fit: PoolMember[] | undefined;
  let sick: PoolMember[] | undefined;
  for (const member of ordered) {
    const provider = snapshot.providers[member.name];
    const demote = provider !== undefined && (provider.status === 'unhealthy' || (provider.coolingDownUntil !== null && provider.coolingDownUntil > now)) && member.breaker.state !== 'half-open';
    if (demote) (sick ??= []).push(member);
    else (fit ??= []).push(member);
  }
  return sick === undefined ? ordered : [...(fit ?? []), ...sick];
}

/** Members worth a panic attempt, best first: those whose probes succeed, then by health score, then soonest out of cooldown. */
function rankLeastBad(order: readonly PoolMember[], health: HealthMonitor): PoolMember[] {
  const scored = order.filter((member) => member.breaker.state !== 'isolated').map((member) => ({ member, answers: member.breaker.answersProbes() ? 1 : 0, score: health.snapshot(member.name)?.score ?? 0.5, wait: member.breaker.retryAfterMs() ?? Number.POSITIVE_INFINITY }));
  scored.sort((left, right) => right.answers - left.answers || right.score - left.score || left.wait - right.wait);
  return scored.map(({ member }) => member);
}

/** The first of two promises to fulfil; when both reject, the later rejection. */
function firstSuccess<T>(one: Promise<T>, other: Promise<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    let failed = 0;
    const fail = (error: unknown): void => {
      failed += 1;
      if (failed === 2) reject(error);
    };
    one.then(resolve, fail);
    other.then(resolve, fail);
  });
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
