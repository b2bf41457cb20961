import type { PoolMember } from './pool-member.js';
import type { SharedCeilingRule, SharedCeilingsOptions, SharedCeilingTake } from './shared-ceiling-store.js';

/** Settles the leases of a pool's members with the shared buckets, in the background. */
export interface CeilingSyncer {
  /** Settles every member's lease once, now (the loop does every `syncIntervalMs`). Never rejects. */
  syncNow(): Promise<void>;
  /** Stops the loop, waits for a sync in flight and gives the unspent tokens back. Idempotent. */
  close(): Promise<void>;
}

/** Options of {@link createCeilingSyncer}. */
export interface CeilingSyncerOptions extends SharedCeilingsOptions {
  /** The pool's members; those whose ceiling has a `lease` are synced. */
  readonly members: readonly PoolMember[];
  /** Whether to run the loop (a first sync at once, then every `syncIntervalMs`). Default true; tests drive `syncNow`. */
  readonly start?: boolean;
  /** The clock of the error reports (ms). Default `Date.now`. */
  readonly now?: () => number;
}

/** How often a failing shared store is reported: every sync of every member would otherwise log its own. */
const reportEveryMs = 10_000;

/**
 * Keeps each member's leased bucket (`createLeasedTokenBucket`) supplied from the bucket every replica shares. At each
 * sync, per member with a ceiling: the lease wanted is what the member was asked for since the last sync
 * (tokens spent plus `at-ceiling` skips), at least 1 and at most the burst. Whole tokens held beyond it
 * are given back; what is missing is taken (all or nothing; refused, whatever whole tokens the shared
 * bucket holds). An idle replica so keeps one token, taken once, and costs no round trip after.
 *
 * Every call the router makes under a shared ceiling spends a token taken from the shared bucket, so
 * across replicas the calls of any t seconds stay within `burst + rps × t` plus the tokens the replicas
 * held when the t seconds began: their leases, each at most one sync period's demand (and at most the
 * burst). At the start of a load after an idle spell that is one token per replica.
 *
 * When the store fails (or does not answer within `timeoutMs`) the member's bucket refills on this
 * replica at the ceiling's rate from what it holds, the failure is reported (at most once every 10 s),
 * and each later sync tries the store again; once it answers, the tokens made locally are dropped.
 */
export function createCeilingSyncer({ store, members, syncIntervalMs = 100, timeoutMs = 1000, onError = () => undefined, start = true, now = Date.now }: CeilingSyncerOptions): CeilingSyncer {
  const report = reportAtMostEvery(onError, now);
  const leased = members.flatMap((member) => (member.ceiling?.lease ? [{ member, ceiling: member.ceiling, lease: member.ceiling.lease, skips: member.ceiling.skips, level: undefined as { available: number; at: number } | undefined }] : []));
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> = Promise.resolve();

  const take = async (name: string, rule: SharedCeilingRule, count: number): Promise<SharedCeilingTake> => {
    let expiry: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      expiry = setTimeout(() => reject(new Error(`the shared ceiling store did not answer within ${timeoutMs} ms`)), timeoutMs);
      (expiry as { unref?: () => void }).unref?.();
    });
    try {
      return await Promise.race([store.take(name, rule, count), timeout]);
    } finally {
      clearTimeout(expiry);
    }
  };

  const syncMember = async (entry: (typeof leased)[number]): Promise<void> => {
    const { member, ceiling, lease } = entry;
    const rule: SharedCeilingRule = { requestsPerSecond: ceiling.requestsPerSecond, burst: ceiling.burst };
    const skipped = ceiling.skips - entry.skips;
    entry.skips = ceiling.skips;
    const demand = Math.max(0, lease.spentSinceLastCall()) + skipped;
    const wanted = Math.min(ceiling.burst, Math.max(1, demand));
    try {
      if (lease.mode === 'local') {
        // Back to the shared bucket only once it answers; until then this replica limits on its own.
        const answer = await take(member.name, rule, wanted);
        lease.useShared();
        if (answer.taken) lease.add(wanted);
        entry.level = { available: answer.available, at: now() };
        return;
      }
      const missing = Math.min(ceiling.burst, wanted - lease.held());
      if (missing === 0) return;
      if (missing < 0) {
        // Given back before the store hears of it: a failed give-back loses tokens, never makes them.
        lease.add(missing);
        entry.level = { available: (await take(member.name, rule, missing)).available, at: now() };
        return;
      }
      // Ask for what the shared bucket can hold by now (from its last answer), so a starved replica does
      // not send a take that is bound to be refused before the one that may pass.
      const estimate = entry.level ? Math.floor(Math.min(ceiling.burst, entry.level.available + ((now() - entry.level.at) / 1000) * ceiling.requestsPerSecond)) : missing;
      let asked = Math.max(1, Math.min(missing, estimate));
      let answer = await take(member.name, rule, asked);
      if (!answer.taken && Math.floor(answer.available) >= 1) {
        asked = Math.min(missing, Math.floor(answer.available));
        answer = await take(member.name, rule, asked);
      }
      if (answer.taken) lease.add(asked);
      entry.level = { available: answer.available, at: now() };
    } catch (error) {
      if (lease.mode === 'shared') lease.useLocal();
      entry.level = undefined;
      report(new Error(`provider ceiling of ${member.name}: the shared bucket failed, limiting on this replica alone at ${ceiling.requestsPerSecond} requests/s`, { cause: error }));
    }
  };

  const syncNow = (): Promise<void> => {
    running = running.then(() => Promise.all(leased.map(syncMember))).then(() => undefined);
    return running;
  };
  const schedule = (): void => {
    if (closed) return;
    // ±20 %: replicas started together would otherwise sync in lockstep, and the one whose sync comes
    // first after the shared bucket gains a whole token would get every token while both are starved.
    timer = setTimeout(() => void syncNow().then(schedule), syncIntervalMs * (0.8 + 0.4 * Math.random()));
    (timer as { unref?: () => void }).unref?.();
  };
  if (start && leased.length > 0) void syncNow().then(schedule);

  let closing: Promise<void> | undefined;
  return {
    syncNow,
    close: () =>
      (closing ??= (async () => {
        closed = true;
        clearTimeout(timer);
        await running;
        // Unspent leases go back, so the other replicas can use them now rather than after a refill.
        await Promise.all(
          leased.map(async ({ member, ceiling, lease }) => {
            const held = lease.held();
            if (lease.mode !== 'shared' || held <= 0) return;
            lease.add(-held);
            await take(member.name, { requestsPerSecond: ceiling.requestsPerSecond, burst: ceiling.burst }, -held).catch(() => undefined);
          }),
        );
      })()),
  };
}

/** Passes the first error on, then at most one every 10 s, saying how many were held back. */
function reportAtMostEvery(report: (error: unknown) => void, now: () => number): (error: Error) => void {
  let reportedAt = Number.NEGATIVE_INFINITY;
  let heldBack = 0;
  return (error) => {
    const at = now();
    if (at - reportedAt < reportEveryMs) {
      heldBack += 1;
      return;
    }
    reportedAt = at;
    report(heldBack === 0 ? error : new Error(`${error.message} (and ${heldBack} more failures since the last report)`, { cause: error.cause }));
    heldBack = 0;
  };
}
