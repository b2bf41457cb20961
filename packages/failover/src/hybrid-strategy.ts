import { byPriorityThenName, healthScoreOf, latencyOf, unknownHealthScore, type RoutingCandidate, type RoutingStrategy } from './routing-strategy.js';

/** Weights of the hybrid strategy's terms; normalised to sum to 1. */
export interface HybridWeights {
  /** Default 0.4. */
  readonly health?: number;
  /** Default 0.4. */
  readonly performance?: number;
  /** Default 0.2. */
  readonly priority?: number;
  /**
   * Every this-many-th request (by `sequence`) puts members without latency data first, so they get
   * measured; without it a pool's lone measured member would keep every request forever. Default 10;
   * 0 disables.
   */
  readonly explorationInterval?: number;
}

/**
 * `health·score + performance·(fastest p95 / own p95) + priority·(rank from 1 for the lowest number to 0
 * for the highest)`, highest first; a term without data counts 0.5. Ties by priority, then name. On
 * every `explorationInterval`-th request, members without latency data go first (see {@link HybridWeights}).
 */
export function createHybridStrategy(weights: HybridWeights = {}): RoutingStrategy {
  const health = weights.health ?? 0.4;
  const performance = weights.performance ?? 0.4;
  const priority = weights.priority ?? 0.2;
  const total = health + performance + priority || 1;
  const explorationInterval = weights.explorationInterval ?? 10;
  return (candidates, context) => {
    const latencies = new Map(candidates.map((candidate) => [candidate, latencyOf(candidate, context.health)]));
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
    if (!explore || known.length === 0 || known.length === candidates.length) return ordered;
    const unmeasured = ordered.filter((candidate) => latencies.get(candidate) === null);
    return [...unmeasured, ...ordered.filter((candidate) => latencies.get(candidate) !== null)];
  };
}

/** The hybrid strategy with the default 0.4 / 0.4 / 0.2 weights. */
export const hybridStrategy: RoutingStrategy = createHybridStrategy();
