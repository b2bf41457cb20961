import { byPriorityThenName, healthScoreOf, recentLatencyOf, recentVolumeOf, unknownHealthScore, type RoutingCandidate, type RoutingStrategy } from './routing-strategy.js';

/** Weights of the hybrid strategy's terms; normalised to sum to 1. */
export interface HybridWeights {
  /** Default 0.4. */
  readonly health?: number;
  /** Default 0.4. */
  readonly performance?: number;
  /** Default 0.2. */
  readonly priority?: number;
  /**
   * Every this-many-th request (by `sequence`) goes first to the member, other than the best, with the
   * fewest calls in the last minute, so the others keep being measured; without it a pool's lone
   * measured member would keep every request forever, and another would be judged on stale or
   * cold-start figures. Default 10; 0 disables.
   */
  readonly explorationInterval?: number;
  /** Calls a member needs in the last minute for its p95 to count (else its performance term is 0.5). Default 1. */
  readonly minimumSamples?: number;
}

/**
 * `health·score + performance·(fastest p95 / own p95) + priority·(rank from 1 for the lowest number to 0
 * for the highest)`, highest first; a term without data counts 0.5. Latency is the p95 of the last
 * minute, counted from `minimumSamples` calls. Ties by priority, then name. On every
 * `explorationInterval`-th request an unmeasured member, else the least recently measured other one,
 * goes first (see {@link HybridWeights}), so every member's figures stay fresh: one cold-start sample
 * is soon outnumbered instead of deciding the member's p95 for minutes.
 */
export function createHybridStrategy(weights: HybridWeights = {}): RoutingStrategy {
  const health = weights.health ?? 0.4;
  const performance = weights.performance ?? 0.4;
  const priority = weights.priority ?? 0.2;
  const total = health + performance + priority || 1;
  const explorationInterval = weights.explorationInterval ?? 10;
  const minimumSamples = weights.minimumSamples ?? 1;
  return (candidates, context) => {
    const latencies = new Map(candidates.map((candidate) => [candidate, recentLatencyOf(candidate, context.health, minimumSamples)]));
    const known = [...latencies.values()].filter((latency): latency is number => latency !== null && latency > 0);
    const fastest = known.length > 0 ? Math.min(...known) : null;
    const priorities = candidates.map((candidate) => candidate.priority);
    const lowest = Math.min(...priorities);
    const highest = Math.max(...priorities);
    const score = (candidate: RoutingCandidate): number => {
      const latency = latencies.get(candidate) ?? null;
      const performanceTerm = fastest === null || latency === null || latency <= 0 ? unknownHealthScore : fastest / latency;
      const priorityTerm = highest === lowest ? 1 : (highest - candidate.priority) / (highest - lowest);
      return (health * healthScoreOf(candidate, context.health) + performance * performanceTerm + priority * priorityTerm) / total;
    };
    const scores = new Map(candidates.map((candidate) => [candidate, score(candidate)]));
    const ordered = [...candidates].sort((left, right) => scores.get(right)! - scores.get(left)! || byPriorityThenName(left, right));
    const explore = explorationInterval > 0 && context.sequence % explorationInterval === explorationInterval - 1;
    if (!explore || ordered.length < 2) return ordered;
    const unmeasured = ordered.filter((candidate) => latencies.get(candidate) === null);
    if (unmeasured.length > 0 && unmeasured.length < ordered.length) return [...unmeasured, ...ordered.filter((candidate) => latencies.get(candidate) !== null)];
    const rest = ordered.slice(1);
    const stalest = rest.reduce((best, candidate) => (recentVolumeOf(candidate, context.health) < recentVolumeOf(best, context.health) ? candidate : best), rest[0]!);
    return [stalest, ...ordered.filter((candidate) => candidate !== stalest)];
  };
}

/** The hybrid strategy with the default 0.4 / 0.4 / 0.2 weights. */
export const hybridStrategy: RoutingStrategy = createHybridStrategy();
