import type { HealthSnapshot } from '@memgate/health';

/** A pool member as strategies see it. */
export interface RoutingCandidate {
  /** The provider's name (unique within the pool). */
  readonly name: string;
  /** Lower is preferred; ties are broken by name. */
  readonly priority: number;
  /** Relative share for weighted round-robin, ≥ 1. */
  readonly weight: number;
}

/** What a strategy may read besides the candidates. */
export interface StrategyContext {
  /** The health monitor's snapshot; members it does not know have "missing data". */
  readonly health: HealthSnapshot;
  /** A request counter (0, 1, 2, …) for strategies that rotate; strategies never keep state of their own. */
  readonly sequence: number;
}

/**
 * A routing strategy: a pure function from candidates and a health snapshot to an ordering (best
 * first). It never drops a candidate: breakers and the health gate decide who is skipped. Orderings are
 * deterministic: equal keys fall back to priority, then name.
 */
export type RoutingStrategy = (candidates: readonly RoutingCandidate[], context: StrategyContext) => RoutingCandidate[];

/** The strategies that can be chosen by name in configuration. */
export type RoutingStrategyName = 'priority' | 'health' | 'round-robin' | 'performance' | 'hybrid';

/** The score given to a member the snapshot does not know: below a healthy member, above a sick one. */
export const unknownHealthScore = 0.5;

/** Ascending priority, then name: the deterministic tie-break of every strategy. */
export function byPriorityThenName(left: RoutingCandidate, right: RoutingCandidate): number {
  return left.priority - right.priority || (left.name < right.name ? -1 : left.name > right.name ? 1 : 0);
}

/** A member's health score, or {@link unknownHealthScore} without data. */
export function healthScoreOf(candidate: RoutingCandidate, health: HealthSnapshot): number {
  return health.providers[candidate.name]?.score ?? unknownHealthScore;
}

/**
 * A member's p95 latency over the last minute in ms, or `null` with fewer than `minimumSamples` calls
 * there: a handful of cold-start or stale samples is not a measurement, and a latency-aware strategy
 * must measure such a member again rather than judge it on them.
 */
export function recentLatencyOf(candidate: RoutingCandidate, health: HealthSnapshot, minimumSamples: number, quantile: 'p50' | 'p95' = 'p95'): number | null {
  const recent = health.providers[candidate.name]?.windows['1m'];
  return recent !== undefined && recent.volume >= minimumSamples ? (recent.latencyMs?.[quantile] ?? null) : null;
}

/** Calls a member made in the last minute: how fresh its figures are. */
export function recentVolumeOf(candidate: RoutingCandidate, health: HealthSnapshot): number {
  return health.providers[candidate.name]?.windows['1m'].volume ?? 0;
}
