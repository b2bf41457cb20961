import type { RoutingDecision } from './routing-decision.js';

/** Filters of {@link DecisionHistoryStore.list}. */
export interface DecisionHistoryQuery {
  /** At most this many, newest first. Default 100. */
  readonly limit?: number;
  /** Only decisions that tried this provider. */
  readonly provider?: string;
  /** Only decisions that started at or after this time (epoch ms). */
  readonly since?: number;
  /** Only decisions with this outcome. */
  readonly outcome?: RoutingDecision['outcome'];
}

/**
 * Where routing decisions are kept. `@memgate/state` persists them; {@link createInMemoryDecisionHistoryStore}
 * keeps a bounded ring. `append` is called on the request path: implementations must not block it
 * (buffer and write in batches), and a rejected promise is reported, never thrown at the caller.
 */
export interface DecisionHistoryStore {
  append(decision: RoutingDecision): void | Promise<void>;
  /** Newest first. */
  list(query?: DecisionHistoryQuery): Promise<RoutingDecision[]>;
}

/** A {@link DecisionHistoryStore} holding the last `capacity` decisions (default 1000) in memory. */
export function createInMemoryDecisionHistoryStore({ capacity = 1000 }: { readonly capacity?: number } = {}): DecisionHistoryStore {
  const ring: RoutingDecision[] = [];
  let next = 0;
  return {
    append(decision) {
      if (ring.length < capacity) ring.push(decision);
      else ring[next] = decision;
      next = (next + 1) % capacity;
    },
    async list({ limit = 100, provider, since, outcome } = {}) {
      const chronological = ring.length < capacity ? ring : [...ring.slice(next), ...ring.slice(0, next)];
      return [...chronological]
        .reverse()
        .filter((decision) => (provider === undefined || decision.attempts.some((attempt) => attempt.provider === provider)) && (since === undefined || decision.startedAt >= since) && (outcome === undefined || decision.outcome === outcome))
        .slice(0, limit);
    },
  };
}
