import { byPriorityThenName, latencyOf, type RoutingStrategy } from './routing-strategy.js';

/**
 * Lowest recent p95 latency first. Members without latency data come *before* measured ones (by
 * priority, then name): a member nobody has measured must get traffic to be measured at all, and one that
 * only fails never gains latency data but is demoted by the health gate and its breaker instead.
 * Equal latencies by priority, then name.
 */
export const performanceStrategy: RoutingStrategy = (candidates, { health }) =>
  [...candidates].sort((left, right) => {
    const leftLatency = latencyOf(left, health);
    const rightLatency = latencyOf(right, health);
    if (leftLatency === null || rightLatency === null) return (leftLatency === null ? 0 : 1) - (rightLatency === null ? 0 : 1) || byPriorityThenName(left, right);
    return leftLatency - rightLatency || byPriorityThenName(left, right);
  });
