import type { BehindTracker } from './behind-tracker.js';
import type { PoolReplication } from './pool-replication.js';
import type { Router } from './router.js';
import type { WriteJournal } from './write-journal.js';

/** What {@link createPoolReplication} needs from its pool. */
export interface PoolReplicationOptions {
  readonly pool: string;
  readonly journal: WriteJournal;
  readonly tracker: BehindTracker;
  readonly members: readonly string[];
  readonly available: () => string[];
  readonly router: Router;
}

/** A journaled pool's {@link PoolReplication}: single-member calls through the router, and the journal refresh. */
export function createPoolReplication(options: PoolReplicationOptions): PoolReplication {
  const { pool, journal, tracker, router } = options;
  let lastReloadAt = Number.NEGATIVE_INFINITY;
  return {
    pool,
    journal,
    tracker,
    members: options.members,
    available: options.available,
    executeOn: (member, call, callOptions) => router.executeOn(member, 'write', 'replicate', call, callOptions),
    refresh: async () => {
      const backlog = await journal.backlog(pool);
      tracker.refresh(backlog);
      // Another process appended or delivered entries (or this one just started): reload who misses which
      // memory. At most every 5 s after the first: writes in flight make the two views differ for a moment
      // on every tick, and the reload reads every undelivered row.
      if (tracker.drifted() && Date.now() - lastReloadAt >= 5000) {
        lastReloadAt = Date.now();
        await tracker.reload(() => journal.pendingDeliveries(pool));
      }
      return backlog;
    },
  };
}
