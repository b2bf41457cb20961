import { ValidationError } from '@memgate/core';
import { healthStrategy } from './health-strategy.js';
import { createHybridStrategy, type HybridWeights } from './hybrid-strategy.js';
import { performanceStrategy } from './performance-strategy.js';
import { priorityStrategy } from './priority-strategy.js';
import { roundRobinStrategy } from './round-robin-strategy.js';
import type { RoutingStrategy, RoutingStrategyName } from './routing-strategy.js';

/** The names accepted by {@link resolveStrategy}. */
export const routingStrategyNames: readonly RoutingStrategyName[] = ['priority', 'health', 'round-robin', 'performance', 'hybrid'];

/**
 * The strategy for a name, or the function itself.
 * @throws ValidationError (field `strategy`) for an unknown name
 */
export function resolveStrategy(strategy: RoutingStrategyName | RoutingStrategy, hybridWeights?: HybridWeights): RoutingStrategy {
  if (typeof strategy === 'function') return strategy;
  switch (strategy) {
    case 'priority':
      return priorityStrategy;
    case 'health':
      return healthStrategy;
    case 'round-robin':
      return roundRobinStrategy;
    case 'performance':
      return performanceStrategy;
    case 'hybrid':
      return createHybridStrategy(hybridWeights);
    default:
      throw new ValidationError({ message: `unknown routing strategy "${String(strategy)}"; expected one of ${routingStrategyNames.join(', ')}`, field: 'strategy' });
  }
}
