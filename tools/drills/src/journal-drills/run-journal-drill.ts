import { randomUUID } from 'node:crypto';
import { checkHistory, createHistoryRecorder, type HistoryCheckResult } from '@memgate/testkit';
import { isClientError, type LoadRecord } from '../harness/load-record.js';
import { sleep } from '../harness/sleep.js';
import { summarizeLoad, type LoadSummary } from '../harness/summarize-load.js';
import { waitUntil } from '../harness/wait-until.js';
import { readMemberAlone, type MemberRead } from './read-member-alone.js';
import type { JournalEnvironment } from './start-journal-environment.js';
import { traceMemory } from './trace-memory.js';
import { startJournalLoad, type OwnReadFigures } from './start-journal-load.js';
import { readBacklog, watchBacklog, type BacklogSample } from './watch-backlog.js';

/** Options of {@link runJournalDrill}. Durations in milliseconds. */
export interface JournalDrillOptions {
  /** Concurrent clients. Default 4. */
  readonly clients?: number;
  /** Steady load before the crash. Default 1500. */
  readonly warmupMs?: number;
  /** How long the primary stays down. Default 8000 (the drill: 20,000). */
  readonly outageMs?: number;
  /** Load after the primary returns (the gateway restart included). Default 2000. */
  readonly afterMs?: number;
  /** Deletes in the mix (every sixth operation). Default false. */
  readonly deletes?: boolean;
  /**
   * SIGKILL the gateway in the middle of the replay (as soon as the primary's backlog is seen shrinking,
   * polled every 25 ms; at the latest 15 s after the primary returned), then restart it. Default false.
   */
  readonly killGateway?: boolean;
  /** Longest wait for every backlog to reach 0 after the load stops. Default 60,000. */
  readonly convergeTimeoutMs?: number;
}

/** What {@link runJournalDrill} measured and found. */
export interface JournalDrillResult {
  readonly summary: LoadSummary;
  /** `checkHistory` over the final reads of each member alone. */
  readonly check: HistoryCheckResult;
  readonly finalReads: readonly MemberRead[];
  readonly ownReads: OwnReadFigures;
  /** Client errors outside the gateway's own downtime (from its SIGKILL until its restart was ready). */
  readonly clientErrorsOutsideGatewayRestart: number;
  /** Up to five of those. */
  readonly errorSamples: readonly LoadRecord[];
  /** The primary's largest journal backlog seen (entries). */
  readonly backlogPeak: number;
  /** Entries delivered to the primary per second, from the last sample before its backlog first shrank until it was 0 (the entries then pending plus the writes acknowledged meanwhile). */
  readonly replayPerSecond: number;
  /** From the primary's return until its backlog was first seen shrinking (breaker cooldown, replicator backoff), in ms. */
  readonly replayStartedAfterMs: number;
  /** From the primary's return until every member's backlog stayed 0 (ms). */
  readonly convergeMs: number;
  /** The primary's backlog when the gateway was SIGKILLed, and the first one the restarted gateway reported. */
  readonly gatewayCrash?: { readonly backlogAtKill: number; readonly backlogAfterRestart: number; readonly downMs: number };
  /** When the load started, the primary crashed and returned, the gateway was down (`performance.now()` ms). */
  readonly phases: { readonly loadStartedAt: number; readonly faultAt: number; readonly healAt: number; readonly gatewayDown?: { readonly from: number; readonly to: number } };
  readonly acknowledgedAdds: number;
  readonly acknowledgedDeletes: number;
  /** Deletes acknowledged while the primary was down. */
  readonly deletesDuringOutage: number;
  /** Adds that took more than one HTTP attempt (retried with their `Idempotency-Key`). */
  readonly retriedAdds: readonly string[];
  /** Every verdict other than `present`/`deleted`, with its copies per member and HTTP attempts, for failure messages. */
  readonly faults: readonly Record<string, unknown>[];
}

/**
 * A journal drill over HTTP: steady mixed load (adds with idempotency keys, own reads by id, listings,
 * optional deletes) recorded for `checkHistory`; the primary crashes for `outageMs` and returns; the
 * gateway is optionally SIGKILLed mid-replay and restarted; the load stops, every backlog drains; then
 * each member is read alone through the gateway (the other forced out) and the history is checked.
 * @throws Error when the backlog does not drain in time, or a final read fails
 */
export async function runJournalDrill(env: JournalEnvironment, options: JournalDrillOptions = {}): Promise<JournalDrillResult> {
  const { clients = 4, warmupMs = 1500, outageMs = 8000, afterMs = 2000, deletes = false, killGateway = false, convergeTimeoutMs = 60_000 } = options;
  const recorder = createHistoryRecorder();
  const loadStartedAt = performance.now();
  const runId = `jd-${randomUUID().slice(0, 8)}`;
  const load = startJournalLoad({ client: env.client, recorder, runId, clients, deletes, retryWritesForMs: killGateway ? 30_000 : 0 });
  const backlog = watchBacklog(env.client);
  let gatewayDown: { from: number; to: number } | undefined;
  let gatewayCrash: JournalDrillResult['gatewayCrash'];
  try {
    await sleep(warmupMs);
    const faultAt = performance.now();
    await env.primary.crash();
    await sleep(faultAt + outageMs - performance.now());
    await env.primary.recover();
    const healAt = performance.now();
    if (killGateway) {
      const backlogAtKill = await replayStarted(env, healAt + 15_000);
      const from = performance.now();
      await env.killGateway();
      await env.restartGateway();
      gatewayDown = { from, to: performance.now() };
      // The restarted process learns the backlog from the journal at its first housekeeping (1 s).
      await sleep(1200);
      gatewayCrash = { backlogAtKill, backlogAfterRestart: (await readBacklog(env.client())).entries[env.primary.name] ?? 0, downMs: gatewayDown.to - gatewayDown.from };
    }
    await sleep(healAt + afterMs - performance.now());
    await load.stop();
    const convergedAt = await waitConverged(env, convergeTimeoutMs);
    await backlog.stop();

    const names = [env.primary.name, env.backup.name];
    const deletedIds = [...load.elements.values()].filter((element) => element.deleted && element.id).map((element) => element.id!);
    const finalReads: MemberRead[] = [];
    for (const member of names) finalReads.push(await readMemberAlone(env.client(), member, names.filter((name) => name !== member), load.userIds, deletedIds));
    const history = recorder.history();
    const check = checkHistory(history, Object.fromEntries(finalReads.map((read) => [read.member, read.elements])));

    const records = load.records;
    const summary = summarizeLoad(records, { faultAt, healAt, backup: env.backup.name });
    const outside = records.filter((record) => isClientError(record) && !(gatewayDown && record.endedAt >= gatewayDown.from && record.startedAt <= gatewayDown.to));
    const replay = replayWindow(backlog.samples, env.primary.name, healAt, convergedAt);
    const ackedWritesDuringReplay = records.filter((record) => record.op === 'write' && !isClientError(record) && replay && record.endedAt > replay.startedAt && record.endedAt <= convergedAt).length;
    return {
      summary,
      check,
      finalReads,
      ownReads: load.ownReads,
      clientErrorsOutsideGatewayRestart: outside.length,
      errorSamples: outside.slice(0, 5),
      backlogPeak: backlog.peak(env.primary.name),
      replayPerSecond: replay ? (replay.entries + ackedWritesDuringReplay) / Math.max(0.001, (convergedAt - replay.startedAt) / 1000) : Number.NaN,
      replayStartedAfterMs: replay ? replay.startedAt - healAt : Number.NaN,
      convergeMs: convergedAt - healAt,
      ...(gatewayCrash ? { gatewayCrash } : {}),
      phases: { loadStartedAt, faultAt, healAt, ...(gatewayDown ? { gatewayDown } : {}) },
      acknowledgedAdds: check.counts.acknowledged,
      acknowledgedDeletes: history.filter((operation) => operation.f === 'delete' && operation.type === 'ok').length,
      deletesDuringOutage: history.filter((operation) => operation.f === 'delete' && operation.type === 'ok' && operation.time >= faultAt && operation.time < healAt).length,
      retriedAdds: [...load.elements.values()].filter((element) => element.attempts > 1).map((element) => element.element),
      faults: await Promise.all(
        check.writes
          .filter((write) => write.outcome !== 'present' && write.outcome !== 'deleted')
          .slice(0, 10)
          .map(async (write) => ({
            element: write.element,
            outcome: write.outcome,
            id: load.elements.get(write.element)?.id,
            attempts: load.elements.get(write.element)?.attempts,
            failedDeleteStatus: load.elements.get(write.element)?.failedDeleteStatus,
            ackedSinceCrashMs: Math.round(write.ackedAt - faultAt),
            copies: Object.fromEntries(finalReads.map((read) => [read.member, read.elements.filter((element) => element === write.element).length])),
            staleReads: write.staleReads.length,
            // What the state store says happened to it: its requests' routing decisions and its journal rows.
            ...(env.stateUrl ? { trace: await traceMemory(env.stateUrl, write.element, load.elements.get(write.element)?.id).catch((error: Error) => error.message) } : {}),
          })),
      ),
    };
  } finally {
    await load.stop();
    await backlog.stop();
  }
}

/** Polls the primary's backlog every 25 ms until it shrinks (replay under way) or `until` passes; resolves to the last one read. */
async function replayStarted(env: JournalEnvironment, until: number): Promise<number> {
  let highest = 0;
  for (;;) {
    const entries = (await readBacklog(env.client())).entries[env.primary.name] ?? 0;
    if (entries < highest || performance.now() >= until) return entries;
    highest = Math.max(highest, entries);
    await sleep(25);
  }
}

/**
 * Waits until every member's journal backlog has read 0 for 1.5 s in a row (longer than the gateway's
 * 1 s journal refresh, so a freshly restarted process cannot report 0 before it has looked), and returns
 * when that run of zeros began (`performance.now()` ms).
 */
export async function waitConverged(env: JournalEnvironment, timeoutMs: number): Promise<number> {
  let zeroSince: number | undefined;
  const seen: string[] = [];
  return waitUntil(
    async () => {
      const sample = await readBacklog(env.client());
      seen.push(`${Math.round(sample.at)}:${JSON.stringify(sample.entries)}`);
      const empty = Object.values(sample.entries).every((entries) => entries === 0);
      if (!empty) zeroSince = undefined;
      else zeroSince ??= sample.at;
      return zeroSince !== undefined && sample.at - zeroSince >= 1500 ? zeroSince : undefined;
    },
    { timeoutMs, intervalMs: 100, what: 'every journal backlog to stay 0' },
  ).catch((error: Error) => {
    // Every 20th backlog read, for the failure message: stuck or slow?
    throw new Error(`${error.message}; backlog reads (ms: entries): ${seen.filter((_, index) => index % 20 === 0).join(' ')}`);
  });
}

/** The sample (after `healAt`) just before `member`'s backlog first shrank: when replay began, and how much was pending then. */
function replayWindow(samples: readonly BacklogSample[], member: string, healAt: number, convergedAt: number): { startedAt: number; entries: number } | undefined {
  const after = samples.filter((sample) => sample.at >= healAt - 250 && sample.at <= convergedAt);
  for (let index = 1; index < after.length; index += 1) {
    const before = after[index - 1]!.entries[member] ?? 0;
    if ((after[index]!.entries[member] ?? 0) < before) return { startedAt: after[index - 1]!.at, entries: before };
  }
  return undefined;
}
