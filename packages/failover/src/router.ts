import { AbortedError, MemoryError, ProviderTimeoutError, ProviderUnavailableError, type MemoryProviderV1 } from '@memgate/core';
import { classifyOutcome, type HealthMonitor, type HealthSnapshot } from '@memgate/health';
import type { FailoverCallOptions } from './failover-call-options.js';
import type { MemberFilter, PoolMember } from './pool-member.js';
import type { RetryBudget } from './retry-budget.js';
import { runAttempt } from './run-attempt.js';
import type { OperationKind, PoolOperation, RoutingAttempt, RoutingDecision, RoutingSkip } from './routing-decision.js';
import type { RoutingCandidate, RoutingStrategy } from './routing-strategy.js';

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
  readonly panic: PanicMode;
  readonly memberFilter?: MemberFilter;
  readonly record: (decision: RoutingDecision) => void;
}

/** Runs one operation over the pool. */
export type RouterCall<T> = (provider: MemoryProviderV1, options: FailoverCallOptions) => Promise<T>;

/** The router: the pool's single retry owner. */
export interface Router {
  execute<T>(kind: OperationKind, operation: PoolOperation, call: RouterCall<T>, options?: FailoverCallOptions): Promise<T>;
}

const describeError = (error: unknown): { name: string; message: string } => (error instanceof Error ? { name: error.name, message: error.message } : { name: 'Error', message: String(error) });

/**
 * Creates the router. Per request: filter members (admin state, member filter), order them with the
 * strategy, demote members the monitor calls unhealthy or cooling down, then walk the order: each member's
 * breaker admits or skips it, each attempt gets its own timeout inside the request's deadline, every
 * outcome feeds the monitor and the breaker, and retryable failures move on to the next member while the
 * per-request attempt limit and the global retry budget allow. Later passes over the order back off.
 */
export function createRouter(settings: RouterSettings): Router {
  let sequence = 0;

  // Members the monitor calls unhealthy or cooling down go last, keeping the strategy's order otherwise.
  // A member whose breaker waits for a half-open trial is exempt: demoting it would starve the trial
  // that is its only way back when nothing else sends it traffic.
  const healthGate = (ordered: RoutingCandidate[], snapshot: HealthSnapshot, byName: Map<string, PoolMember>, now: number): RoutingCandidate[] => {
    const sick = (candidate: RoutingCandidate): boolean => {
      const provider = snapshot.providers[candidate.name];
      if (provider === undefined || byName.get(candidate.name)?.breaker.state === 'half-open') return false;
      return provider.status === 'unhealthy' || (provider.coolingDownUntil !== null && provider.coolingDownUntil > now);
    };
    const fit = ordered.filter((candidate) => !sick(candidate));
    return fit.length === ordered.length ? ordered : [...fit, ...ordered.filter(sick)];
  };

  return {
    async execute<T>(kind: OperationKind, operation: PoolOperation, call: RouterCall<T>, options: FailoverCallOptions = {}): Promise<T> {
      const started = performance.now();
      const startedAt = Date.now();
      const current = sequence++;
      const deadline = Math.min(options.deadline ?? Number.POSITIVE_INFINITY, startedAt + settings.requestTimeoutMs);
      const strategy = settings.strategy();
      const eligible = settings.members.filter((member) => member.adminState === 'active' && (settings.memberFilter?.({ name: member.name, provider: member.provider }, { kind, operation }) ?? true));
      const byName = new Map(eligible.map((member) => [member.name, member]));
      const health = settings.health.snapshot();
      const order = healthGate(strategy.order(eligible, { health, sequence: current }), health, byName, startedAt).map((candidate) => byName.get(candidate.name)!);
      const attempts: RoutingAttempt[] = [];
      const skipped: RoutingSkip[] = [];
      let memberTimeMs = 0;
      let backoffMs = 0;
      let panic = false;
      const endRequest = settings.budget.requestStarted();

      const finish = (chosen: string | null, error?: unknown): void => {
        const durationMs = performance.now() - started;
        const decision: RoutingDecision = {
          id: `${settings.pool}-${startedAt.toString(36)}-${current}`,
          pool: settings.pool,
          ...(options.requestId === undefined ? {} : { requestId: options.requestId }),
          operation,
          kind,
          startedAt,
          durationMs: round(durationMs),
          strategy: strategy.name,
          candidates: eligible.map((member) => member.name),
          order: order.map((member) => member.name),
          attempts,
          skipped,
          chosen,
          fallbacks: Math.max(0, attempts.length - 1),
          overheadMs: round(Math.max(0, durationMs - memberTimeMs - backoffMs)),
          panic,
          outcome: error === undefined ? 'success' : 'failure',
          ...(error === undefined ? {} : { error: describeError(error) }),
        };
        settings.record(decision);
        options.onDecision?.(decision);
      };

      // One attempt on one member; returns the result or throws the member's error, after bookkeeping.
      const attempt = async (member: PoolMember, permit: ReturnType<PoolMember['breaker']['tryAcquire']>, flags: { trial?: boolean; panic?: boolean }): Promise<T> => {
        const attemptDeadline = Math.min(deadline, Date.now() + settings.attemptTimeoutMs);
        const attemptStarted = performance.now();
        member.inFlight += 1;
        member.counters.attempts += 1;
        try {
          const result = await runAttempt((signal) => call(member.provider, { ...options, signal, deadline: attemptDeadline }), attemptDeadline, options.signal, member.name);
          const durationMs = performance.now() - attemptStarted;
          memberTimeMs += durationMs;
          permit?.success();
          member.counters.successes += 1;
          settings.health.observe(member.name, { latencyMs: durationMs });
          attempts.push({ provider: member.name, startedAtMs: round(attemptStarted - started), durationMs: round(durationMs), outcome: 'success', ...flags });
          return result;
        } catch (error) {
          const durationMs = performance.now() - attemptStarted;
          memberTimeMs += durationMs;
          const outcome = classifyOutcome(error);
          if (outcome.kind === 'failure') {
            permit?.failure();
            member.counters.failures += 1;
          } else if (outcome.kind === 'rate-limited') permit?.rateLimited(outcome.retryAfterMs ?? 1000);
          else permit?.release();
          settings.health.observe(member.name, { latencyMs: durationMs, error });
          attempts.push({ provider: member.name, startedAtMs: round(attemptStarted - started), durationMs: round(durationMs), outcome: outcome.kind, error: { ...describeError(error), retryable: MemoryError.isInstance(error) && error.isRetryable }, ...flags });
          throw error;
        } finally {
          member.inFlight -= 1;
          if (member.inFlight === 0) for (const wake of member.idleWaiters.splice(0)) wake();
        }
      };

      const requestEnded = (): MemoryError | undefined => {
        if (options.signal?.aborted) return new AbortedError({ message: 'the call was aborted', cause: options.signal.reason });
        if (Date.now() >= deadline) return new ProviderTimeoutError({ message: `pool ${settings.pool}: the request passed its deadline` });
        return undefined;
      };

      try {
        if (order.length === 0) throw new ProviderUnavailableError({ message: `pool ${settings.pool} has no member that can serve ${operation} (all forced out, draining or filtered)` });
        let lastError: unknown;
        for (let pass = 0; attempts.length < settings.maxAttempts; pass += 1) {
          if (pass > 0) {
            const wait = Math.random() * Math.min(settings.backoffMaxMs, settings.backoffBaseMs * 2 ** (pass - 1));
            if (Date.now() + wait >= deadline) break;
            backoffMs += wait;
            await sleep(wait, options.signal);
          }
          const attemptsBefore = attempts.length;
          for (const member of order) {
            const ended = requestEnded();
            if (ended) throw ended;
            if (attempts.length >= settings.maxAttempts) {
              skipped.push({ provider: member.name, reason: 'attempt-limit' });
              break;
            }
            const permit = member.breaker.tryAcquire();
            if (!permit) {
              const state = member.breaker.state;
              skipped.push({ provider: member.name, reason: state === 'isolated' ? 'isolated' : state === 'half-open' ? 'half-open-busy' : 'breaker-open' });
              continue;
            }
            const retryToken = attempts.length === 0 ? () => {} : settings.budget.tryAcquireRetry();
            if (!retryToken) {
              permit.release();
              skipped.push({ provider: member.name, reason: 'retry-budget' });
              throw lastError;
            }
            try {
              const result = await attempt(member, permit, permit.trial ? { trial: true } : {});
              member.counters.served += 1;
              finish(member.name);
              return result;
            } catch (error) {
              lastError = error;
              const ended = requestEnded();
              if (ended) throw ended;
              if (!(MemoryError.isInstance(error) && error.isRetryable)) throw error;
            } finally {
              retryToken();
            }
          }
          if (attempts.length === attemptsBefore) break;
        }
        if (attempts.length > 0) throw lastError;
        // Every breaker refused: panic to the least-bad member, or fail fast with a hint.
        if (settings.panic === 'least-bad') {
          const leastBad = pickLeastBad(order, settings.health);
          if (leastBad) {
            panic = true;
            const result = await attempt(leastBad, undefined, { panic: true });
            leastBad.counters.served += 1;
            finish(leastBad.name);
            return result;
          }
        }
        const waits = order.map((member) => member.breaker.retryAfterMs()).filter((wait): wait is number => wait !== null);
        throw new ProviderUnavailableError({
          message: `pool ${settings.pool}: every member's circuit breaker is open`,
          ...(waits.length > 0 ? { retryAfterMs: Math.max(1, Math.min(...waits)) } : {}),
        });
      } catch (error) {
        finish(null, error);
        throw error;
      } finally {
        endRequest();
      }
    },
  };
}

function pickLeastBad(order: readonly PoolMember[], health: HealthMonitor): PoolMember | undefined {
  const scored = order.filter((member) => member.breaker.state !== 'isolated').map((member) => ({ member, score: health.snapshot(member.name)?.score ?? 0.5, wait: member.breaker.retryAfterMs() ?? Number.POSITIVE_INFINITY }));
  scored.sort((left, right) => right.score - left.score || left.wait - right.wait);
  return scored[0]?.member;
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

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
