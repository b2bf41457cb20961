import type { HistoryCheckResult } from '@memgate/testkit';
import type { LoadRecord } from '../harness/load-record.js';

/**
 * Each stale own read of a check (a listing that missed the client's own acknowledged adds), once per
 * listing, oldest first: `<seconds since from> <member that served it> missed <adds>`. The listing's
 * exchange is found by client (the recorder process `c<client>/b<batch>`) and start time (within 5 ms).
 */
export function staleReadsSeen(check: HistoryCheckResult, records: readonly LoadRecord[], from: number): string[] {
  const listings = new Map<string, { at: number; provider: string; missed: number }>();
  for (const write of check.writes) {
    for (const read of write.staleReads) {
      const client = Number(/^c(\d+)\//.exec(read.process)?.[1]);
      const record = records.find((candidate) => candidate.client === client && candidate.op === 'read' && candidate.startedAt >= read.invokedAt && candidate.startedAt - read.invokedAt < 5);
      const key = `${read.process}@${read.invokedAt}`;
      const seen = listings.get(key) ?? { at: read.invokedAt, provider: record?.provider ?? '?', missed: 0 };
      seen.missed += 1;
      listings.set(key, seen);
    }
  }
  return [...listings.values()].sort((left, right) => left.at - right.at).map((listing) => `${((listing.at - from) / 1000).toFixed(1)}s ${listing.provider} missed ${listing.missed}`);
}
