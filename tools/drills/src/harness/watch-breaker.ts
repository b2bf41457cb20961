import { readMemberFigures, type MemberFigures } from './failover-api.js';
import type { GatewayClient } from './gateway-client.js';

/** A breaker state seen by {@link watchBreaker}, at `performance.now()` milliseconds. */
export interface BreakerObservation {
  readonly at: number;
  readonly state: string;
  readonly figures: MemberFigures;
}

/** A running poll of one member's breaker. */
export interface BreakerWatch {
  /** State changes seen so far (the first observation included), oldest first. */
  readonly changes: readonly BreakerObservation[];
  /** The latest observation. */
  latest(): BreakerObservation | undefined;
  /** Stops polling and resolves with the changes. */
  stop(): Promise<readonly BreakerObservation[]>;
}

/**
 * Polls `GET /providers/failover/statistics` every `intervalMs` (default 50) and records each change
 * of `member`'s breaker state. A failed poll is retried at the next tick (the watch is a bystander).
 */
export function watchBreaker(client: GatewayClient, member: string, intervalMs = 50): BreakerWatch {
  const changes: BreakerObservation[] = [];
  let latest: BreakerObservation | undefined;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const figures = await readMemberFigures(client, member).catch(() => undefined);
      if (figures) {
        latest = { at: performance.now(), state: figures.breakerState, figures };
        if (changes.at(-1)?.state !== figures.breakerState) changes.push(latest);
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    changes,
    latest: () => latest,
    stop: async () => {
      stopped = true;
      await loop;
      return changes;
    },
  };
}
