import { byPriorityThenName, latencyOf, type RoutingStrategy } from './routing-strategy.js';

/** Lowest recent p95 latency first; members without latency data after every measured one; ties by priority, then name. */
export const performanceStrategy: RoutingStrategy = (candidates, { health }) =>
  [...candidates].sort((left, right) => {
    const leftLatency = latencyOf(left, health);
    const rightLatency = latencyOf(right, health);
    if (leftLatency === null || rightLatency === null) return (leftLatency === null ? 1 : 0) - (rightLatency === null ? 1 : 0) || byPriorityThenName(left, right);
    return leftLatency - rightLatency || byPriorityThenName(left, right);
  });
