import type { GatewayClient } from './gateway-client.js';

/** A change of one member's breaker state (or of whether its journal backlog is empty), at `performance.now()` ms. */
export interface MemberChange {
  readonly at: number;
  readonly member: string;
  /** `closed`, `open`, `half-open`, `isolated`, `unknown` (no answer), then `+backlog` when it has undelivered entries. */
  readonly state: string;
  /** The breaker's `last_reason`, when it has one. */
  readonly reason: string | undefined;
}

/** A running poll of every member's breaker and backlog. */
export interface MemberWatch {
  readonly changes: readonly MemberChange[];
  stop(): Promise<void>;
}

/**
 * Polls `GET /providers/failover/statistics` every `intervalMs` (default 250) through whichever client
 * `client()` returns (a restarted gateway is picked up) and records each change of a member's breaker
 * state and of whether its journal backlog is empty: a timeline to tell, after a run, what the gateway
 * thought of each member when clients got errors. Failed polls are skipped.
 */
export function watchMembers(client: () => GatewayClient, intervalMs = 250): MemberWatch {
  const changes: MemberChange[] = [];
  const last = new Map<string, string>();
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const response = await client()
        .request('GET', '/providers/failover/statistics', { timeoutMs: 3000 })
        .catch(() => undefined);
      if (response?.status === 200) {
        const members = (response.body as { members?: { name: string; breaker: { state: string; last_reason?: string | null }; journal_backlog?: { entries: number } }[] }).members ?? [];
        for (const member of members) {
          const state = `${member.breaker.state}${(member.journal_backlog?.entries ?? 0) > 0 ? '+backlog' : ''}`;
          if (last.get(member.name) === state) continue;
          last.set(member.name, state);
          changes.push({ at: performance.now(), member: member.name, state, reason: member.breaker.last_reason ?? undefined });
        }
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    changes,
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}
