import { byPriorityThenName, type RoutingStrategy } from './routing-strategy.js';

/** Lower priority number first; equal priorities by name. Ignores health: breakers and the health gate handle sick members. */
export const priorityStrategy: RoutingStrategy = (candidates) => [...candidates].sort(byPriorityThenName);
