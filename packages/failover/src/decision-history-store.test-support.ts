import { createInMemoryDecisionHistoryStore, type DecisionHistoryStore } from './decision-history-store.js';
import type { RoutingDecision } from './routing-decision.js';

/** A bounded in-memory store and a maker of minimal decisions served by `provider`. Test support only. */
export function createDecisionHistoryStoreForTest(capacity: number): { store: DecisionHistoryStore; decision: (startedAt: number, provider: string) => RoutingDecision } {
  return {
    store: createInMemoryDecisionHistoryStore({ capacity }),
    decision: (startedAt, provider) => ({
      id: `d-${startedAt}`,
      pool: 'pool',
      operation: 'get',
      kind: 'read',
      startedAt,
      durationMs: 1,
      strategy: 'priority',
      candidates: [provider],
      order: [provider],
      attempts: [{ provider, startedAtMs: 0, durationMs: 1, outcome: 'success' }],
      skipped: [],
      chosen: provider,
      fallbacks: 0,
      overheadMs: 0,
      panic: false,
      outcome: 'success',
    }),
  };
}
