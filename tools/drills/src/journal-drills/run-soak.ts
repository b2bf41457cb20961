import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { checkHistory, createHistoryRecorder, type HistoryCheckResult } from '@memgate/testkit';
import { isClientError, type LoadRecord } from '../harness/load-record.js';
import { watchMembers, type MemberChange } from '../harness/watch-members.js';
import { staleReadsSeen } from './stale-reads-seen.js';
import { traceMemory, undeliveredEntries } from './trace-memory.js';
import { mem0HistoryOf } from './mem0-history-of.js';
import type { Mem0WireServer } from '@memgate/testkit/mem0-server';
import { sleep } from '../harness/sleep.js';
import { readMemberAlone, type MemberRead } from './read-member-alone.js';
import { waitConverged } from './run-journal-drill.js';
import type { JournalEnvironment } from './start-journal-environment.js';
import type { JournalMember } from './journal-member.js';
import type { DrillBackend } from '../harness/start-backend.js';
import type { FaultProxy } from '@memgate/testkit';
import { startJournalLoad, type OwnReadFigures } from './start-journal-load.js';

/** The faults a soak picks from. */
export const soakFaults = ['sigkill', 'sigstop', 'blackhole', 'latency', 'reset', 'gateway-sigkill'] as const;
export type SoakFault = (typeof soakFaults)[number];

/** Options of {@link runSoak}. Durations in milliseconds. */
export interface SoakOptions {
  /** How long the load runs. Default 600,000 (10 minutes). */
  readonly durationMs?: number;
  /** Seed of the fault schedule (printed, so a failing run can be replayed). Default: random. */
  readonly seed?: number;
  /** Time between the end of one fault and the start of the next, drawn uniformly. Default 20,000–60,000. */
  readonly faultEveryMs?: readonly [number, number];
  /** How long a fault lasts, drawn uniformly. Default 3000–8000. */
  readonly faultLastsMs?: readonly [number, number];
  /** Concurrent clients. Default 4. */
  readonly clients?: number;
  /** Told of the seed and the planned schedule before the load starts (so a failing run can be replayed with its seed). */
  readonly onPlan?: (plan: { readonly seed: number; readonly schedule: readonly PlannedFault[] }) => void;
  /** Told of each fault as it starts. */
  readonly onFault?: (fault: { readonly kind: SoakFault; readonly member: string; readonly atMs: number; readonly lastsMs: number }) => void;
}

/**
 * How long the backlogs may take to drain once the load stops. The mem0 member replays slowest (about 45
 * entries/s in the journal drill), and a fault on it near the end leaves it the most behind.
 */
const drainTimeoutMs = 120_000;

/** Load before the first fault's gap starts, and before the first RSS sample. */
const soakWarmupMs = 15_000;

/** One fault of a soak's schedule, drawn from its seed. */
export interface PlannedFault {
  /** From the end of the previous fault (or the start of the load) to this one. */
  readonly afterMs: number;
  readonly kind: SoakFault;
  /** `primary`/`backup`/`third` (the environment's first, second or third member), or `gateway`. */
  readonly target: 'primary' | 'backup' | 'third' | 'gateway';
  readonly lastsMs: number;
  /** When it should start, from the start of the load (warm-up included), if every earlier fault lasts its `lastsMs` (a gateway restart: 0). */
  readonly plannedAtMs: number;
}

/**
 * The fault schedule a seed draws: faults until the planned start passes `durationMs`, each drawn in the
 * order gap, kind, member, duration (the order `runSoak` has always drawn them in, so old seeds replay).
 * The member is one uniform draw among `members` (2: `random() < 0.5`, as always, so a seed of a two-member
 * soak draws the schedule it always drew; 3: a third each, so the same seed picks other members there).
 * The last entry may not run: the run ends when the next start, as it happens, is past the duration.
 */
export function planSoak(seed: number, durationMs: number, faultEveryMs: readonly [number, number], faultLastsMs: readonly [number, number], members: 2 | 3 = 2): PlannedFault[] {
  const random = seeded(seed);
  const between = ([low, high]: readonly [number, number]): number => Math.round(low + random() * (high - low));
  const schedule: PlannedFault[] = [];
  for (let clock = soakWarmupMs; ; ) {
    const afterMs = between(faultEveryMs);
    const kind = soakFaults[Math.floor(random() * soakFaults.length)]!;
    const draw = random();
    const member = members === 2 ? (draw < 0.5 ? 'primary' : 'backup') : (['primary', 'backup', 'third'] as const)[Math.floor(draw * 3)]!;
    const lastsMs = between(faultLastsMs);
    clock += afterMs;
    if (clock >= durationMs) return schedule;
    schedule.push({ afterMs, kind, target: kind === 'gateway-sigkill' ? 'gateway' : member, lastsMs, plannedAtMs: clock });
    if (kind !== 'gateway-sigkill') clock += lastsMs;
  }
}

/** What {@link runSoak} found. */
export interface SoakResult {
  readonly seed: number;
  readonly faults: readonly { readonly kind: SoakFault; readonly member: string; readonly atMs: number; readonly lastsMs: number }[];
  readonly requests: number;
  /** Acknowledged updates (`PUT /v1/memories/{id}/`). */
  readonly updates: number;
  /** From the load's end to every backlog staying 0 (ms). */
  readonly drainMs: number;
  /** When the load started (`performance.now()` ms): error times are relative to it. */
  readonly startedAt: number;
  /** Client errors outside the gateway's own restarts (its SIGKILL until its restart was ready). */
  readonly errorsOutsideGatewayRestarts: readonly LoadRecord[];
  readonly check: HistoryCheckResult;
  readonly finalReads: readonly MemberRead[];
  readonly ownReads: OwnReadFigures;
  readonly ownSearches: OwnReadFigures;
  /** Memory id of each element the load added (an updated memory keeps its add's element here), by element and by each later text. */
  readonly ids: ReadonlyMap<string, string>;
  /** Every HTTP exchange of the load. */
  readonly records: readonly LoadRecord[];
  /** Each member's breaker state and whether its backlog is empty, as they changed (polled every 250 ms). */
  readonly memberChanges: readonly MemberChange[];
  /** The gateway's resident set (kB) after warm-up and at the end, for the process alive at the end; `null` when it ran too briefly to tell. */
  readonly rss: { readonly afterWarmupKb: number; readonly atEndKb: number; readonly growth: number } | null;
}

/** Mulberry32: a small seeded generator, so a schedule can be replayed from its seed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const rssKb = (pid: number): number | undefined => {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  } catch {
    return undefined;
  }
};

/**
 * The chaos soak: steady mixed load (adds with idempotency keys and retries, updates, deletes, own reads by
 * id, own searches, listings) over the environment's members (two, or three with a mem0 member) for `durationMs`, with one fault at a time
 * every `faultEveryMs`, chosen at random from SIGKILL (and restart), SIGSTOP/SIGCONT, blackhole, added
 * latency, connection resets (all on a random member) and a SIGKILL and restart of the gateway. Then the
 * load stops, the backlogs drain, each member is read alone and the history is checked.
 * @throws Error when the backlogs do not drain, or a read of a member alone fails
 */
export async function runSoak(env: JournalEnvironment, options: SoakOptions = {}): Promise<SoakResult> {
  const { durationMs = 600_000, faultEveryMs = [20_000, 60_000], faultLastsMs = [3000, 8000], clients = 4 } = options;
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const schedule = planSoak(seed, durationMs, faultEveryMs, faultLastsMs, env.third ? 3 : 2);
  options.onPlan?.({ seed, schedule });
  const recorder = createHistoryRecorder();
  const load = startJournalLoad({ client: env.client, recorder, runId: `soak-${randomUUID().slice(0, 8)}`, clients, deletes: true, searches: true, updates: true, retryWritesForMs: 30_000, requestTimeoutMs: 15_000 });
  const members = watchMembers(env.client);
  const startedAt = performance.now();
  const faults: SoakResult['faults'][number][] = [];
  const gatewayDown: { from: number; to: number }[] = [];
  let processStartedAt = startedAt;
  let warmRss: number | undefined;
  try {
    await sleep(soakWarmupMs);
    warmRss = rssKb(env.gateway().pid);
    // The first gap counts from the end of the warm-up, as it always has.
    for (const planned of schedule) {
      const next = performance.now() + planned.afterMs;
      if (next - startedAt >= durationMs) break;
      await sleep(next - performance.now());
      const { kind, lastsMs } = planned;
      const target = planned.target === 'third' && env.third ? env.third : planned.target === 'backup' ? env.backup : env.primary;
      const fault = { kind, member: kind === 'gateway-sigkill' ? 'gateway' : target.name, atMs: Math.round(performance.now() - startedAt), lastsMs };
      faults.push(fault);
      options.onFault?.(fault);
      // A PostgreSQL member has its cluster and proxy to fault; the mem0 wire server runs in this process,
      // so only its proxy: SIGKILL is the proxy refusing connections (crash/recover), SIGSTOP is a blackhole
      // (connections accepted, nothing answered: what a stopped process looks like from the gateway).
      const { backend, proxy: memberProxy } = target as JournalMember & { readonly backend?: DrillBackend; readonly proxy?: FaultProxy };
      const proxy = backend?.proxy ?? memberProxy;
      if (kind === 'gateway-sigkill') {
        const from = performance.now();
        await env.killGateway();
        await env.restartGateway();
        gatewayDown.push({ from, to: performance.now() });
        // The restarted process's own warm-up figure, 15 s on (unless it is restarted again meanwhile).
        const restartedAt = (processStartedAt = performance.now());
        warmRss = undefined;
        void sleep(15_000).then(() => {
          if (processStartedAt === restartedAt) warmRss = rssKb(env.gateway().pid);
        });
        continue;
      }
      if (kind === 'sigkill' || !proxy) {
        await target.crash();
        await sleep(lastsMs);
        await target.recover();
      } else if (kind === 'sigstop' && backend) {
        backend.cluster.pause();
        await sleep(lastsMs);
        backend.cluster.resume();
      } else if (kind === 'latency') {
        proxy.setLatency(200, 50);
        await sleep(lastsMs);
        proxy.setLatency(0);
      } else {
        if (kind === 'blackhole' || kind === 'sigstop') proxy.blackhole();
        else proxy.reset();
        await sleep(lastsMs);
        await proxy.heal();
      }
    }
    await sleep(startedAt + durationMs - performance.now());
    const endRss = rssKb(env.gateway().pid);
    await load.stop();
    const drainStartedAt = performance.now();
    await waitConverged(env, drainTimeoutMs).catch(async (error: Error) => {
      const stuck = env.stateUrl ? await undeliveredEntries(env.stateUrl).catch((reason: Error) => [`(journal unreadable: ${reason.message})`]) : [];
      // The first stuck memory, traced: its journal rows, and what each mem0 member did to it.
      const memoryId = /^#\d+ \w+ (\S+)/.exec(stuck[0] ?? '')?.[1];
      // The load names its requests after the memory's first text (`<element>--update-2`); an update's payload carries it with `-uN`.
      const element = /"memory":"([^"]+?)(?:-u\d+)?"/.exec(stuck[0] ?? '')?.[1] ?? '-';
      const traced = memoryId && env.stateUrl ? await traceMemory(env.stateUrl, element, memoryId).catch(() => undefined) : undefined;
      const trace = [...(traced?.journal ?? []), ...(traced?.decisions ?? []).map((decision) => `decision ${decision}`)];
      const mem0 = memoryId ? env.members.flatMap((member) => ('server' in member ? [`${member.name}: ${mem0HistoryOf((member as { server: Mem0WireServer }).server, memoryId).join('; ')}`] : [])) : [];
      throw new Error(
        `the soak's backlogs did not drain within ${drainTimeoutMs / 1000} s of the load's end (members ${env.members.map((member) => member.name).join(', ')}; seed ${seed}): ${error.message}\nundelivered journal entries: ${stuck.join('\n  ')}` +
          (memoryId ? `\nmemory ${memoryId}: journal ${trace.join('; ')}\n${mem0.join('\n')}` : ''),
      );
    });
    const drainMs = performance.now() - drainStartedAt;
    await members.stop();
    const names = env.members.map((member) => member.name);
    const deletedIds = [...load.elements.values()].filter((element) => element.deleted && element.id).map((element) => element.id!);
    const finalReads: MemberRead[] = [];
    for (const member of names) finalReads.push(await readMemberAlone(env.client(), member, names.filter((name) => name !== member), load.userIds, deletedIds));
    const check = checkHistory(recorder.history(), Object.fromEntries(finalReads.map((read) => [read.member, read.elements])));
    const duringRestart = (record: LoadRecord): boolean => gatewayDown.some((down) => record.endedAt >= down.from && record.startedAt <= down.to);
    return {
      seed,
      faults,
      startedAt,
      requests: load.records.length,
      updates: load.updatesAcknowledged(),
      drainMs,
      errorsOutsideGatewayRestarts: load.records.filter((record) => isClientError(record) && !duringRestart(record)),
      check,
      finalReads,
      ownReads: load.ownReads,
      ownSearches: load.ownSearches,
      memberChanges: members.changes,
      records: load.records,
      ids: new Map([...load.elements.values()].flatMap((element) => (element.id ? Array.from({ length: element.updates + 1 }, (_, update) => [update === 0 ? element.element : `${element.element}-u${update}`, element.id!] as const) : []))),
      rss: warmRss !== undefined && endRss !== undefined ? { afterWarmupKb: warmRss, atEndKb: endRss, growth: Math.round(((endRss - warmRss) / warmRss) * 1000) / 1000 } : null,
    };
  } finally {
    await load.stop();
    await members.stop();
  }
}

/** A soak's figures: flat, JSON-ready. */
export function soakFigures(result: SoakResult): Record<string, unknown> {
  return {
    seed: result.seed,
    faults: result.faults.map((fault) => `${fault.atMs}ms ${fault.kind} ${fault.member} ${fault.lastsMs}ms`),
    requests: result.requests,
    updates: result.updates,
    drainMs: Math.round(result.drainMs),
    errorsOutsideGatewayRestarts: result.errorsOutsideGatewayRestarts.length,
    history: result.check.counts,
    ownReads: { seen: result.ownReads.seen, missed: result.ownReads.missed },
    ownSearches: { seen: result.ownSearches.seen, missed: result.ownSearches.missed },
    deletedReadable: result.finalReads.reduce((total, read) => total + read.deletedReadable.length, 0),
    rss: result.rss,
    // Errors per second of the run in which they started, to tell which fault they belong to.
    errorSeconds: Object.entries(result.errorsOutsideGatewayRestarts.reduce<Record<number, number>>((seconds, record) => ((seconds[Math.floor((record.startedAt - result.startedAt) / 1000)] ??= 0), (seconds[Math.floor((record.startedAt - result.startedAt) / 1000)]! += 1), seconds), {})).map(([second, errors]) => `${second}s:${errors}`),
    // Each write judged lost, duplicated, stale or resurrected: `element (id) outcome, acked at second, missing from members`.
    ...(result.check.valid ? {} : { badWrites: result.check.writes.filter((write) => write.outcome !== 'present' && write.outcome !== 'deleted').slice(0, 10).map((write) => `${write.element} (${result.ids.get(write.element) ?? '?'}) ${write.outcome}, acked at ${((write.ackedAt - result.startedAt) / 1000).toFixed(1)}s${write.missingFrom.length > 0 ? `, missing from ${write.missingFrom.join(', ')}` : ''}`) }),
    // Stale own reads: `second of the listing → member that served it (what it missed)`, the listing found by client and start time.
    ...(result.check.counts.stale > 0 ? { staleReads: staleReadsSeen(result.check, result.records, result.startedAt) } : {}),
    // What the gateway thought of each member, for runs with errors: `second member state (reason)`.
    ...(result.errorsOutsideGatewayRestarts.length > 0 || result.check.counts.stale > 0 ? { memberChanges: result.memberChanges.map((change) => `${((change.at - result.startedAt) / 1000).toFixed(1)}s ${change.member} ${change.state}${change.reason ? ` (${change.reason.slice(0, 80)})` : ''}`) } : {}),
    errorSamples: result.errorsOutsideGatewayRestarts.slice(0, 3).map((record) => ({ sinceStartMs: Math.round(record.startedAt - result.startedAt), status: record.status, provider: record.provider, error: record.error })),
  };
}

