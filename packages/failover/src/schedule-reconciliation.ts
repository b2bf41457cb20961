import type { Disposable } from '@memgate/health';
import type { FailoverPool } from './failover-pool.js';
import { reconcilePool, type ReconcileOptions, type ReconcileReport } from './reconcile-pool.js';

/** Options of {@link scheduleReconciliation}. */
export interface ScheduleReconciliationOptions extends ReconcileOptions {
  /** Time between the end of one run and the start of the next (ms). Default 3 600 000 (1 h). */
  readonly intervalMs?: number;
  /** Hears every report (what was compared and repaired). */
  readonly onReport?: (report: ReconcileReport) => void;
  /** Hears a run that failed (a member down, say); the next run is still scheduled. Default `console.warn`. */
  readonly onError?: (error: unknown) => void;
}

/**
 * Runs {@link reconcilePool} periodically (anti-entropy: hints and replays are best effort, this is the
 * backstop). Runs never overlap. Dispose to stop; a run in progress finishes.
 * @param pool the pool, or a function giving the current one (a pool rebuilt on config changes); a run is skipped while it gives none, or one without a journal (a single member: nothing to compare)
 */
export function scheduleReconciliation(pool: FailoverPool | (() => FailoverPool | undefined), options: ScheduleReconciliationOptions = {}): Disposable {
  const { intervalMs = 3_600_000, onReport, onError = (error: unknown) => console.warn('[@memgate/failover reconciliation]', error), ...reconcile } = options;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const next = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      const current = typeof pool === 'function' ? pool() : pool;
      if (!current?.replication) return next();
      reconcilePool(current, reconcile)
        .then((report) => onReport?.(report))
        .catch(onError)
        .finally(next);
    }, intervalMs);
    timer.unref();
  };
  next();
  return {
    dispose() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
