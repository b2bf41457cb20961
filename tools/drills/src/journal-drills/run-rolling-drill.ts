import { randomUUID } from 'node:crypto';
import { checkHistory, createHistoryRecorder, type HistoryCheckResult } from '@memgate/testkit';
import { readMemberFigures } from '../harness/failover-api.js';
import { isClientError, type LoadRecord } from '../harness/load-record.js';
import { sleep } from '../harness/sleep.js';
import { readMemberAlone, type MemberRead } from './read-member-alone.js';
import { staleReadsSeen } from './stale-reads-seen.js';
import { waitConverged } from './run-journal-drill.js';
import type { JournalEnvironment } from './start-journal-environment.js';
import { startJournalLoad, type OwnReadFigures } from './start-journal-load.js';
import { watchBacklog } from './watch-backlog.js';

/** Options of {@link runRollingDrill}. Durations in milliseconds. */
export interface RollingDrillOptions {
  /** Concurrent clients. Default 4. */
  readonly clients?: number;
  /** Steady load before the primary's crash. Default 1500. */
  readonly warmupMs?: number;
  /** How long the primary stays down. Default 12,000 (the repro). */
  readonly primaryOutageMs?: number;
  /**
   * From the primary's return to the backup's crash. Default 15,000 (the words). A few seconds
   * (before the primary's breaker can close again) makes the backup's death leave nothing admissible.
   */
  readonly backupCrashAfterMs?: number;
  /** How long the backup stays down, under load. Default 8000. */
  readonly backupOutageMs?: number;
  /** Longest wait for every backlog to reach 0 after the load stops. Default 90,000. */
  readonly convergeTimeoutMs?: number;
}

/** What {@link runRollingDrill} measured and found. Times in milliseconds. */
export interface RollingDrillResult {
  readonly requests: number;
  /** Client errors of requests that started after the backup's crash (the ones in flight at that instant excluded). */
  readonly errorsAfterBackupCrash: readonly LoadRecord[];
  /** Client errors of the whole run, for the record. */
  readonly clientErrors: number;
  /** The primary's breaker state read just after the backup's crash (`open`: nothing was admissible). */
  readonly primaryBreakerAtBackupCrash: string | undefined;
  /** Reads (own reads by id, own searches, listings) started after the backup's crash: served (2xx) and not. */
  readonly readsAfterBackupCrash: { readonly served: number; readonly failed: number };
  /**
   * Client errors after the backup's crash that are not a proper refusal: anything but a 503 with
   * `Retry-After` and a body naming the reason (`error` or `reason`), e.g. a 504, a 500 or no answer.
   */
  readonly improperRefusals: readonly LoadRecord[];
  /** Primary crash → end of the first request started after it that the backup served. */
  readonly failoverMs: number | undefined;
  /** Primary return → end of the first request the primary served again. */
  readonly primaryServesAfterMs: number | undefined;
  /** Primary return → its journal backlog first read 0. */
  readonly primaryDrainedAfterMs: number | undefined;
  /** Backup crash → end of the first request started after it that succeeded. */
  readonly backupFailoverMs: number | undefined;
  /** The history checked against the primary alone, read while the backup was still down. */
  readonly primaryAlone: HistoryCheckResult;
  /** The history checked against each member alone, once both converged. */
  readonly converged: HistoryCheckResult;
  readonly finalReads: readonly MemberRead[];
  /** Backup return → every backlog stayed 0. */
  readonly convergeMs: number;
  readonly ownReads: OwnReadFigures;
  readonly ownSearches: OwnReadFigures;
  readonly servedBy: Readonly<Record<string, number>>;
  /** Stale own listings, `<seconds after the backup's crash> <member> missed <adds>` (negative: before it). */
  readonly staleReads: readonly string[];
}

/**
 * The rolling-failure drill over HTTP: steady load with own reads by id, own searches and listings; the
 * primary is SIGKILLed, restarted `primaryOutageMs` later, and the backup is SIGKILLed
 * `backupCrashAfterMs` after the primary returned. While the backup is still down, every scope is read
 * through the gateway from the primary alone and checked; then the backup returns, the load stops, the
 * backlogs drain and each member is read alone and checked again.
 * @throws Error when a backlog does not drain in time or a read of a member alone fails
 */
export async function runRollingDrill(env: JournalEnvironment, options: RollingDrillOptions = {}): Promise<RollingDrillResult> {
  const { clients = 4, warmupMs = 1500, primaryOutageMs = 12_000, backupCrashAfterMs = 15_000, backupOutageMs = 8000, convergeTimeoutMs = 90_000 } = options;
  const recorder = createHistoryRecorder();
  const runId = `rd-${randomUUID().slice(0, 8)}`;
  const load = startJournalLoad({ client: env.client, recorder, runId, clients, searches: true });
  const backlog = watchBacklog(env.client);
  const names = [env.primary.name, env.backup.name];
  try {
    await sleep(warmupMs);
    const primaryCrashAt = performance.now();
    await env.primary.crash();
    await sleep(primaryCrashAt + primaryOutageMs - performance.now());
    await env.primary.recover();
    const primaryBackAt = performance.now();
    await sleep(primaryBackAt + backupCrashAfterMs - performance.now());
    const backupCrashAt = performance.now();
    await env.backup.crash();
    const primaryBreakerAtBackupCrash = await readMemberFigures(env.client(), env.primary.name).then(
      (figures) => figures.breakerState,
      () => undefined,
    );
    await sleep(backupCrashAt + backupOutageMs - performance.now());
    // Everything acknowledged so far, read from the primary alone while the backup is still down.
    await load.stop();
    const primaryRead = await readMemberAlone(env.client(), env.primary.name, [env.backup.name], load.userIds);
    const primaryAlone = checkHistory(recorder.history(), { [env.primary.name]: primaryRead.elements });
    await env.backup.recover();
    const backupBackAt = performance.now();
    const convergedAt = await waitConverged(env, convergeTimeoutMs);
    await backlog.stop();
    const finalReads: MemberRead[] = [];
    for (const member of names) finalReads.push(await readMemberAlone(env.client(), member, names.filter((name) => name !== member), load.userIds));
    const converged = checkHistory(recorder.history(), Object.fromEntries(finalReads.map((read) => [read.member, read.elements])));

    const records = load.records;
    const firstServed = (by: string | undefined, after: number): number | undefined => {
      const served = records.filter((record) => record.startedAt >= after && !isClientError(record) && (by === undefined || record.provider === by)).sort((left, right) => left.endedAt - right.endedAt)[0];
      return served ? served.endedAt - after : undefined;
    };
    const drained = backlog.samples.find((sample) => sample.at >= primaryBackAt && (sample.entries[env.primary.name] ?? 0) === 0);
    const servedBy: Record<string, number> = {};
    for (const record of records) servedBy[record.provider ?? 'none'] = (servedBy[record.provider ?? 'none'] ?? 0) + 1;
    const afterBackupCrash = records.filter((record) => record.startedAt > backupCrashAt);
    const errorsAfterBackupCrash = afterBackupCrash.filter(isClientError);
    const readsAfter = afterBackupCrash.filter((record) => record.op === 'read');
    return {
      requests: records.length,
      errorsAfterBackupCrash,
      clientErrors: records.filter(isClientError).length,
      primaryBreakerAtBackupCrash,
      readsAfterBackupCrash: { served: readsAfter.filter((record) => !isClientError(record)).length, failed: readsAfter.filter(isClientError).length },
      improperRefusals: errorsAfterBackupCrash.filter((record) => !(record.status === 503 && record.retryAfter !== undefined && /"(error|reason)":"[^"]+"/.test(record.error ?? ''))),
      failoverMs: firstServed(env.backup.name, primaryCrashAt),
      primaryServesAfterMs: firstServed(env.primary.name, primaryBackAt),
      primaryDrainedAfterMs: drained ? drained.at - primaryBackAt : undefined,
      backupFailoverMs: firstServed(undefined, backupCrashAt),
      primaryAlone,
      converged,
      finalReads,
      convergeMs: convergedAt - backupBackAt,
      ownReads: load.ownReads,
      ownSearches: load.ownSearches,
      servedBy,
      staleReads: staleReadsSeen(converged, records, backupCrashAt),
    };
  } finally {
    await load.stop();
    await backlog.stop();
  }
}

/** The figures a rolling drill prints: flat, rounded, JSON-ready. */
export function rollingDrillFigures(result: RollingDrillResult): Record<string, unknown> {
  const round = (value: number | undefined): number | null => (value === undefined ? null : Math.round(value));
  return {
    requests: result.requests,
    clientErrors: result.clientErrors,
    errorsAfterBackupCrash: result.errorsAfterBackupCrash.length,
    primaryBreakerAtBackupCrash: result.primaryBreakerAtBackupCrash ?? null,
    readsAfterBackupCrash: result.readsAfterBackupCrash,
    improperRefusals: result.improperRefusals.length,
    failoverMs: round(result.failoverMs),
    primaryServesAfterMs: round(result.primaryServesAfterMs),
    primaryDrainedAfterMs: round(result.primaryDrainedAfterMs),
    backupFailoverMs: round(result.backupFailoverMs),
    convergeMs: round(result.convergeMs),
    primaryAlone: result.primaryAlone.counts,
    converged: result.converged.counts,
    ownReads: { seen: result.ownReads.seen, missed: result.ownReads.missed },
    ownSearches: { seen: result.ownSearches.seen, missed: result.ownSearches.missed },
    servedBy: result.servedBy,
    ...(result.staleReads.length > 0 ? { staleReads: result.staleReads.slice(0, 10) } : {}),
    errorSamples: result.errorsAfterBackupCrash.slice(0, 3).map((record) => ({ status: record.status, retryAfter: record.retryAfter, error: record.error })),
  };
}
