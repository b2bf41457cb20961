import { byPriorityThenName, recentLatencyOf, recentVolumeOf, type RoutingStrategy } from './routing-strategy.js';

/** Options of {@link createPerformanceStrategy}. */
export interface PerformanceStrategyOptions {
  /**
   * Every this-many-th request (by `sequence`) goes first to the measured member, other than the
   * fastest, with the fewest samples in the last minute, so a member that once looked slow is measured
   * again instead of being judged forever on old figures. Default 10; 0 disables.
   */
  readonly explorationInterval?: number;
  /**
   * Samples a member needs in the last minute for its p95 to count. With fewer its latency is unknown,
   * and unknown members go first so they get measured: a handful of cold-start or stale samples cannot
   * condemn a member. Default 5.
   */
  readonly minimumSamples?: number;
}

/**
 * Lowest median (p50) latency over the last minute first. Not the p95: a member measured only by the
 * exploration share (every 10th request) has few samples, and a couple of cold-connection spikes among
 * them decide its p95 for a minute; the failover drill under a loaded CI machine saw a slowed member
 * keep 90 % of the traffic because the other one's p95 was two such spikes. The median moves with a
 * member that is slow for most calls, which is what routing away from it is for. Members without enough recent samples (see
 * {@link PerformanceStrategyOptions.minimumSamples}) come *before* measured ones (by priority, then name):
 * a member nobody has measured lately must get traffic to be measured at all, and one that only fails is
 * demoted by the health gate and its breaker instead. Equal latencies by priority, then name. On every
 * `explorationInterval`-th request the least recently measured other member goes first.
 */
export function createPerformanceStrategy(options: PerformanceStrategyOptions = {}): RoutingStrategy {
  const explorationInterval = options.explorationInterval ?? 10;
  const minimumSamples = options.minimumSamples ?? 5;
  return (candidates, { health, sequence }) => {
    const latencies = new Map(candidates.map((candidate) => [candidate, recentLatencyOf(candidate, health, minimumSamples, 'p50')]));
    const ordered = [...candidates].sort((left, right) => {
      const leftLatency = latencies.get(left) ?? null;
      const rightLatency = latencies.get(right) ?? null;
      if (leftLatency === null || rightLatency === null) return (leftLatency === null ? 0 : 1) - (rightLatency === null ? 0 : 1) || byPriorityThenName(left, right);
      return leftLatency - rightLatency || byPriorityThenName(left, right);
    });
    const explore = explorationInterval > 0 && sequence % explorationInterval === explorationInterval - 1;
    if (!explore || ordered.length < 2) return ordered;
    // Unknown members already lead every request; otherwise the one with the least recent data gets this one.
    const rest = ordered.slice(1);
    const stalest = rest.reduce((best, candidate) => (recentVolumeOf(candidate, health) < recentVolumeOf(best, health) ? candidate : best), rest[0]!);
    return [stalest, ...ordered.filter((candidate) => candidate !== stalest)];
  };
}

/** The performance strategy with the defaults (explore every 10th request, 5 samples in the last minute). */
export const performanceStrategy: RoutingStrategy = createPerformanceStrategy();
