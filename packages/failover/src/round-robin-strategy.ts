import { byPriorityThenName, type RoutingCandidate, type RoutingStrategy } from './routing-strategy.js';

/**
 * Weighted round-robin without state: request `sequence` gets the member at position `sequence mod W`
 * of a smooth weighted schedule (nginx's algorithm; W = sum of weights), so weights 2:1 give A B A, not
 * A A B. The rest follow in rotation, as fallbacks.
 */
export const roundRobinStrategy: RoutingStrategy = (candidates, { sequence }) => {
  const ordered = [...candidates].sort(byPriorityThenName);
  if (ordered.length <= 1) return ordered;
  const schedule = smoothWeightedSchedule(ordered);
  const first = schedule[((sequence % schedule.length) + schedule.length) % schedule.length]!;
  const start = ordered.indexOf(first);
  return [...ordered.slice(start), ...ordered.slice(0, start)];
};

function smoothWeightedSchedule(members: readonly RoutingCandidate[]): RoutingCandidate[] {
  const weights = members.map((member) => Math.max(1, Math.round(member.weight)));
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const current = weights.map(() => 0);
  const schedule: RoutingCandidate[] = [];
  for (let step = 0; step < total; step += 1) {
    let best = 0;
    for (let index = 0; index < members.length; index += 1) {
      current[index]! += weights[index]!;
      if (current[index]! > current[best]!) best = index;
    }
    current[best]! -= total;
    schedule.push(members[best]!);
  }
  return schedule;
}
