import type { GatewayClient } from '../harness/gateway-client.js';

/** One poll of `GET /providers/failover/statistics`: each member's undelivered journal entries. */
export interface BacklogSample {
  /** `performance.now()` milliseconds. */
  readonly at: number;
  /** Member name → undelivered entries (`journal_backlog.entries`). */
  readonly entries: Readonly<Record<string, number>>;
}

/** A running poll of the journal backlog. */
export interface BacklogWatch {
  readonly samples: readonly BacklogSample[];
  /** The largest backlog of `member` seen so far (0 when never seen). */
  peak(member: string): number;
  stop(): Promise<void>;
}

/**
 * Reads every member's journal backlog from `GET /providers/failover/statistics` once.
 * @throws Error when the gateway does not answer 200 or reports no `journal_backlog` (no journal wired)
 */
export async function readBacklog(client: GatewayClient): Promise<BacklogSample> {
  const response = await client.request('GET', '/providers/failover/statistics', { timeoutMs: 3000 });
  if (response.status !== 200) throw new Error(`GET /providers/failover/statistics answered ${response.status}`);
  const members = (response.body as { members?: { name: string; journal_backlog?: { entries: number } }[] }).members ?? [];
  if (members.some((member) => member.journal_backlog === undefined)) throw new Error(`the statistics show no journal_backlog (is the journal wired into serve?): ${JSON.stringify(response.body).slice(0, 400)}`);
  return { at: performance.now(), entries: Object.fromEntries(members.map((member) => [member.name, member.journal_backlog!.entries])) };
}

/** Polls the backlog every `intervalMs` (default 200) through whichever client `client()` returns; failed polls are skipped. */
export function watchBacklog(client: () => GatewayClient, intervalMs = 200): BacklogWatch {
  const samples: BacklogSample[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const sample = await readBacklog(client()).catch(() => undefined);
      if (sample) samples.push(sample);
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    samples,
    peak: (member) => Math.max(0, ...samples.map((sample) => sample.entries[member] ?? 0)),
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}
