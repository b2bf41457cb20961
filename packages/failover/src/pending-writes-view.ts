import {
  matchesMemoryFilter,
  type MemoryFilter,
  type MemoryProviderV1,
  type MemoryProviderV1CallOptions,
  type MemoryProviderV1ListResult,
  type MemoryProviderV1Page,
  type MemoryProviderV1SearchQuery,
  type MemoryProviderV1SearchResult,
  type MemoryRecord,
} from '@memgate/core';
import type { BehindTracker } from './behind-tracker.js';
import { replayOntoRecord } from './replay-onto-record.js';
import type { JournalEntry, WriteJournal } from './write-journal.js';

/** Options of {@link createPendingWritesView}. */
export interface PendingWritesViewOptions {
  readonly pool: string;
  readonly journal: WriteJournal;
  readonly tracker: BehindTracker;
  /** A member missing writes of more memories than this is read as it is (the merge would read too much). Default 10 000. */
  readonly maxPendingMemories?: number;
}

/**
 * Reads from one member as it will be once it has applied the journal's entries it still misses: the
 * single home of read-your-writes for a member that lags. With write quorum 1 a write is acknowledged
 * once one member holds it; if that member dies before the others received it, the others serve every
 * read, and only the journal knows the write. Each read here asks the member and, at the same time,
 * the journal for that member's pending entries, then replays them over the answer:
 * - `get`: the record with its pending writes replayed (`undefined` when they cannot be replayed onto it);
 * - `list`: held records with pending writes replaced by their replayed versions (dropped when deleted
 *   or no longer matching the filter), pending adds that match inserted in listing order. The member is
 *   asked for the first `offset + pageSize + pending` records (in pages of 1000, the largest) so the page
 *   is exact however far behind the member is;
 * - `search`: the same replacement, plus pending records that match the filter and share a word with the
 *   query (a member's vector or full-text ranking cannot be reproduced in memory), ranked first (the
 *   closest match, then the newest, first among them): they are the caller's newest writes.
 * A member with nothing pending is read directly, at no cost.
 */
export interface PendingWritesView {
  get(provider: MemoryProviderV1, id: string, options?: MemoryProviderV1CallOptions): Promise<MemoryRecord | null | undefined>;
  list(provider: MemoryProviderV1, filter: MemoryFilter, page: MemoryProviderV1Page, options?: MemoryProviderV1CallOptions): Promise<MemoryProviderV1ListResult>;
  search(provider: MemoryProviderV1, query: MemoryProviderV1SearchQuery, options?: MemoryProviderV1CallOptions): Promise<MemoryProviderV1SearchResult[]>;
}

const largestPage = 1000;

/** Creates a {@link PendingWritesView} over a journaled pool's journal and tracker. */
export function createPendingWritesView(options: PendingWritesViewOptions): PendingWritesView {
  const { pool, journal, tracker } = options;
  const maxPending = options.maxPendingMemories ?? 10_000;

  /** The member's pending entries by memory (oldest first), or `undefined` when it misses nothing (or too much to merge). */
  const pendingOf = async (member: string): Promise<Map<string, JournalEntry[]> | undefined> => {
    const memoryIds = tracker.pendingMemoryIds(member);
    if (memoryIds.length === 0 || memoryIds.length > maxPending) return undefined;
    const byMemory = new Map<string, JournalEntry[]>();
    for (const entry of await journal.pendingEntriesFor(pool, member, memoryIds)) {
      const entries = byMemory.get(entry.memoryId);
      if (entries) entries.push(entry);
      else byMemory.set(entry.memoryId, [entry]);
    }
    return byMemory.size === 0 ? undefined : byMemory;
  };

  /** Held records of pending memories replaced by their replayed versions; pending memories the member does not show, replayed from nothing. */
  const replayed = (items: readonly MemoryRecord[], pending: ReadonlyMap<string, JournalEntry[]>, filter: MemoryFilter): { kept: MemoryRecord[]; fresh: MemoryRecord[]; held: number } => {
    const held = new Map(items.filter((item) => pending.has(item.id)).map((item) => [item.id, item]));
    const fresh: MemoryRecord[] = [];
    for (const [memoryId, entries] of pending) {
      const before = held.get(memoryId) ?? null;
      // An update of a record outside this answer cannot be replayed: the member's copy (elsewhere) stands.
      const after = replayOntoRecord(before, entries) ?? before;
      if (after && matchesMemoryFilter(after, filter)) fresh.push(after);
    }
    return { kept: items.filter((item) => !pending.has(item.id)), fresh, held: held.size };
  };

  return {
    async get(provider, id, callOptions) {
      if (!tracker.pendingFor(provider.name, [id])) return provider.get(id, callOptions);
      const [held, entries] = await Promise.all([provider.get(id, callOptions), journal.pendingEntriesFor(pool, provider.name, [id])]);
      return replayOntoRecord(held, entries);
    },

    async list(provider, filter, page, callOptions) {
      const lagging = tracker.pendingMemoryIds(provider.name).length;
      if (lagging === 0) return provider.list(filter, page, callOptions);
      const offset = (page.page - 1) * page.pageSize;
      // Every record that can precede the page's end once the pending writes are merged: the page's own
      // window plus one per pending memory (each may replace or displace one).
      const [listed, pending] = await Promise.all([listLeading(provider, filter, offset + page.pageSize + lagging, callOptions), pendingOf(provider.name)]);
      if (!pending) return { items: listed.items.slice(offset, offset + page.pageSize), total: listed.total };
      const { kept, fresh, held } = replayed(listed.items, pending, filter);
      const merged = [...kept, ...fresh].sort(newestFirst);
      return { items: merged.slice(offset, offset + page.pageSize), total: listed.total - held + fresh.length };
    },

    async search(provider, query, callOptions) {
      if (tracker.pendingMemoryIds(provider.name).length === 0) return provider.search(query, callOptions);
      const [found, pending] = await Promise.all([provider.search(query, callOptions), pendingOf(provider.name)]);
      if (!pending) return found;
      const scores = new Map(found.map((result) => [result.id, result.score]));
      const { kept, fresh } = replayed(found, pending, query.filter);
      // New records rank with the best score the member gave (first on a tie: the caller's newest writes).
      const best = found.length === 0 ? 1 : Math.max(...found.map((result) => result.score));
      // Among themselves: the closest match to the query first, then the newest (the caller's own latest write).
      const added = fresh
        .map((record) => ({ record, overlap: termOverlap(query.query, record.memory) }))
        .filter(({ record, overlap }) => !scores.has(record.id) && overlap > 0)
        .sort((left, right) => right.overlap - left.overlap || newestFirst(left.record, right.record))
        .map(({ record }) => ({ ...record, score: best }));
      const changed = fresh.filter((record) => scores.has(record.id)).map((record) => ({ ...record, score: scores.get(record.id)! }));
      return [...added, ...changed, ...(kept as MemoryProviderV1SearchResult[])].sort((left, right) => right.score - left.score).slice(0, query.topK ?? 10);
    },
  };
}

/**
 * The first `count` records of the member's listing (the contract's order), in pages of the largest size
 * the contract allows; `total` as the member reports it.
 */
async function listLeading(provider: MemoryProviderV1, filter: MemoryFilter, count: number, options?: MemoryProviderV1CallOptions): Promise<MemoryProviderV1ListResult> {
  if (count <= largestPage) return provider.list(filter, { page: 1, pageSize: count }, options);
  const items: MemoryRecord[] = [];
  let total = 0;
  for (let page = 1; items.length < count; page += 1) {
    const listed = await provider.list(filter, { page, pageSize: largestPage }, options);
    items.push(...listed.items);
    total = listed.total;
    if (listed.items.length < largestPage) break;
  }
  return { items: items.slice(0, count), total };
}

/** Listing order of the contract: newest first by `createdAt`, then by id. */
function newestFirst(left: MemoryRecord, right: MemoryRecord): number {
  if (left.createdAt !== right.createdAt) return left.createdAt < right.createdAt ? 1 : -1;
  return left.id < right.id ? 1 : left.id > right.id ? -1 : 0;
}

/** Share of the query's words (letters and digits, case-folded) that occur in `text`. */
function termOverlap(query: string, text: string): number {
  const words = query.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length === 0) return 0;
  const present = new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
  return words.filter((word) => present.has(word)).length / words.length;
}
