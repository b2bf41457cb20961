import { NotFoundError } from '@memgate/core';
import type { BehindTracker } from './behind-tracker.js';
import type { FailoverPoolStatistics } from './failover-pool.js';
import type { HybridWeights } from './hybrid-strategy.js';
import type { PoolMember } from './pool-member.js';
import { resolveStrategy } from './resolve-strategy.js';
import type { RetryBudget } from './retry-budget.js';
import type { RoutingStrategy, RoutingStrategyName } from './routing-strategy.js';

/** Request counters of a pool, updated by its decision recorder. */
export interface PoolTotals {
  requests: number;
  successes: number;
  failures: number;
  requestsWithFallback: number;
  fallbacks: number;
  panics: number;
}

/** What {@link createPoolAdminControls} needs from its pool. */
export interface PoolAdminControlsOptions {
  readonly pool: string;
  readonly members: readonly PoolMember[];
  readonly strategy: RoutingStrategyName | RoutingStrategy | undefined;
  readonly hybridWeights: HybridWeights | undefined;
  readonly totals: PoolTotals;
  readonly budget: RetryBudget;
  /** With a journal: backlog figures per member. */
  readonly journaled?: { readonly tracker: BehindTracker; readonly needingResync: () => readonly string[] };
}

/** An operator's controls of a pool, and its figures. */
export interface PoolAdminControls {
  /** The strategy the router orders members by now. */
  strategy(): { readonly name: string; readonly order: RoutingStrategy };
  setStrategy(next: RoutingStrategyName | RoutingStrategy): void;
  forceOut(name: string): void;
  forceIn(name: string): void;
  drain(name: string): Promise<void>;
  statistics(): FailoverPoolStatistics;
}

/** Strategy switching, force out / in, drain and statistics over a pool's members. */
export function createPoolAdminControls(options: PoolAdminControlsOptions): PoolAdminControls {
  const { pool, members, totals, budget, journaled } = options;
  const resolve = (next: RoutingStrategyName | RoutingStrategy) => ({ name: typeof next === 'function' ? 'custom' : next, order: resolveStrategy(next, options.hybridWeights) });
  let strategy = resolve(options.strategy ?? 'priority');
  const memberNamed = (name: string): PoolMember => {
    const member = members.find((candidate) => candidate.name === name);
    if (!member) throw new NotFoundError({ message: `pool ${pool} has no member named "${name}"` });
    return member;
  };
  return {
    strategy: () => strategy,
    setStrategy(next) {
      strategy = resolve(next);
    },
    forceOut(name) {
      const member = memberNamed(name);
      member.adminState = 'forced-out';
      member.breaker.isolate();
    },
    forceIn(name) {
      const member = memberNamed(name);
      member.adminState = 'active';
      member.breaker.reset();
    },
    async drain(name) {
      const member = memberNamed(name);
      if (member.adminState === 'active') member.adminState = 'draining';
      if (member.inFlight > 0) await new Promise<void>((resolve) => member.idleWaiters.push(resolve));
    },
    statistics: () => ({
      pool,
      strategy: strategy.name,
      ...totals,
      retriesRejectedByBudget: budget.stats().rejected,
      members: members.map((member) => ({
        name: member.name,
        priority: member.priority,
        weight: member.weight,
        adminState: member.adminState,
        inFlight: member.inFlight,
        breaker: member.breaker.toJSON(),
        ...member.counters,
        ...(member.ceiling ? { ceiling: { requestsPerSecond: member.ceiling.requestsPerSecond, burst: member.ceiling.burst, available: Math.max(0, member.ceiling.bucket.available()), skips: member.ceiling.skips } } : {}),
        ...(journaled ? { journalBacklog: { entries: journaled.tracker.behind(member.name), bytes: journaled.tracker.behindBytes(member.name), needsResync: journaled.needingResync().includes(member.name) } } : {}),
      })),
    }),
  };
}
