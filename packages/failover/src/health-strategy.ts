import { byPriorityThenName, healthScoreOf, type RoutingStrategy } from './routing-strategy.js';

/** Highest health score first; members without data score 0.5; equal scores by priority, then name. */
export const healthStrategy: RoutingStrategy = (candidates, { health }) =>
  [...candidates].sort((left, right) => healthScoreOf(right, health) - healthScoreOf(left, health) || byPriorityThenName(left, right));
