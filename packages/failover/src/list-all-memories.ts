import { matchAllFilter, scopeFilter, type MemoryRecord, type MemoryScope } from '@memgate/core';
import type { PoolReplication } from './pool-replication.js';

/** Most pages read per scope (a bound on every loop): 10 000 pages. */
const maxPages = 10_000;

/**
 * Every memory of one scope (or all, for `undefined`) on one member, page by page.
 * @throws the member's error
 */
export async function listAllMemories(replication: PoolReplication, member: string, scope: MemoryScope | undefined, pageSize: number, onPage?: (records: readonly MemoryRecord[]) => Promise<void> | void): Promise<MemoryRecord[]> {
  const filter = scope === undefined ? matchAllFilter : scopeFilter(scope);
  const all: MemoryRecord[] = [];
  for (let page = 1; page <= maxPages; page += 1) {
    const listed = await replication.executeOn(member, (provider, options) => provider.list(filter, { page, pageSize }, options));
    all.push(...listed.items);
    await onPage?.(listed.items);
    if (listed.items.length < pageSize) break;
  }
  return all;
}
