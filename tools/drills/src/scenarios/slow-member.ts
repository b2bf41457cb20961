import { sleep } from '../harness/sleep.js';
import { startLoad } from '../harness/start-load.js';
import type { DrillEnvironment } from '../harness/start-drill-environment.js';
import { summarizeLoad, type LoadSummary } from '../harness/summarize-load.js';

/** Options of {@link slowMember}. Durations in milliseconds. */
export interface SlowMemberOptions {
  /** Steady load before the slowdown (both members get measured). Default 2000. */
  readonly warmupMs?: number;
  /** Added to each round trip through the slow member's proxy. Default 100. */
  readonly latencyMs?: number;
  /** How long traffic has to move away, from the slowdown. Default 4000. */
  readonly windowMs?: number;
  /** Measured after the window. Default 2000. */
  readonly measureMs?: number;
  /** Concurrent clients. Default 4. */
  readonly clients?: number;
}

/** What {@link slowMember} measured. */
export interface SlowMemberResult {
  readonly summary: LoadSummary;
  /** The member that served most requests in the last second of the warm-up, then slowed down. */
  readonly slowed: string;
  /** Its share of the requests in the last second of the warm-up. */
  readonly shareBefore: number;
  /** Its share of the requests that started in the `measureMs` after the window. */
  readonly shareAfter: number;
  /** From the slowdown until the first request served by the other member (ms), if any. */
  readonly movedAfterMs: number | undefined;
}

/**
 * Steady reads; then latency is injected on whichever member was serving most of them, through its
 * proxy. A latency-aware strategy (performance, hybrid) should move traffic to the other member.
 */
export async function slowMember(env: DrillEnvironment, options: SlowMemberOptions = {}): Promise<SlowMemberResult> {
  const { warmupMs = 2000, latencyMs = 100, windowMs = 4000, measureMs = 2000, clients = 4 } = options;
  const load = startLoad({ client: env.client, clients });
  const shareOf = (name: string, from: number, to: number): number => {
    const window = load.records.filter((record) => record.startedAt >= from && record.startedAt < to);
    return window.filter((record) => record.provider === name).length / Math.max(1, window.length);
  };
  try {
    await sleep(warmupMs);
    const faultAt = performance.now();
    const slowed = shareOf(env.primary.name, faultAt - 1000, faultAt) >= 0.5 ? env.primary : env.backup;
    const other = slowed === env.primary ? env.backup : env.primary;
    const shareBefore = shareOf(slowed.name, faultAt - 1000, faultAt);
    slowed.proxy.setLatency(latencyMs);
    await sleep(windowMs + measureMs);
    const records = await load.stop();
    const firstOnOther = records.filter((record) => record.startedAt >= faultAt && record.provider === other.name).sort((a, b) => a.endedAt - b.endedAt)[0];
    return {
      summary: summarizeLoad(records, { faultAt, backup: other.name }),
      slowed: slowed.name,
      shareBefore,
      shareAfter: shareOf(slowed.name, faultAt + windowMs, faultAt + windowMs + measureMs),
      movedAfterMs: firstOnOther ? firstOnOther.endedAt - faultAt : undefined,
    };
  } finally {
    await load.stop();
  }
}
