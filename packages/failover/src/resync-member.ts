import { ProviderUnavailableError, ValidationError, type MemoryScope } from '@memgate/core';
import { copyMemory } from './copy-memory.js';
import type { FailoverPool } from './failover-pool.js';
import { listAllMemories } from './list-all-memories.js';

/** Progress of a resync, after each page. */
export interface ResyncProgress {
  readonly member: string;
  readonly source: string;
  /** The scope being copied (`undefined`: every memory). */
  readonly scope: MemoryScope | undefined;
  readonly copied: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly deleted: number;
}

/** Options of {@link resyncMember}. */
export interface ResyncOptions {
  /** The caught-up member to copy from. Default: the first available member with no backlog. */
  readonly source?: string;
  /** Scopes to copy, one listing each. Default `[undefined]`: one listing of every memory (for providers that list without a scope). */
  readonly scopes?: readonly (MemoryScope | undefined)[];
  /** Memories per page. Default 500. */
  readonly pageSize?: number;
  /** Entries younger than this (ms) at the start stay in the backlog and are replayed: their writes may still be in flight. Default 60 000. */
  readonly inFlightWindowMs?: number;
  readonly onProgress?: (progress: ResyncProgress) => void;
}

/** What a resync did. */
export interface ResyncReport extends Omit<ResyncProgress, 'scope'> {
  /** Backlog entries marked delivered by the copy. */
  readonly clearedEntries: number;
  readonly durationMs: number;
}

/**
 * A full resync of one member from a caught-up one: copies every memory scope by scope (the source's
 * version wins), deletes what the source does not have (created before the resync began, and confirmed
 * missing on the source one by one), then marks the member's backlog up to the start delivered.
 * Entries of the last `inFlightWindowMs` stay pending and are replayed idempotently.
 * @throws ValidationError for a pool without a journal or an unknown member; ProviderUnavailableError when no caught-up source exists
 */
export async function resyncMember(pool: FailoverPool, member: string, options: ResyncOptions = {}): Promise<ResyncReport> {
  const replication = pool.replication;
  if (!replication) throw new ValidationError({ message: 'resync needs a pool created with a journal', field: 'pool' });
  if (!replication.members.includes(member)) throw new ValidationError({ message: `pool ${replication.pool} has no member named "${member}"`, field: 'member' });
  await replication.refresh();
  const source = options.source ?? replication.available().find((name) => name !== member && replication.tracker.behind(name) === 0);
  if (source === undefined) throw new ProviderUnavailableError({ message: `pool ${replication.pool}: no caught-up member to resync ${member} from`, providerId: replication.pool });
  if (!replication.members.includes(source) || source === member) throw new ValidationError({ message: `"${source}" cannot be the source`, field: 'source' });
  const started = Date.now();
  const upTo = await replication.journal.position(replication.pool, started - (options.inFlightWindowMs ?? 60_000));
  const pageSize = options.pageSize ?? 500;
  const figures = { copied: 0, updated: 0, unchanged: 0, deleted: 0 };
  for (const scope of options.scopes ?? [undefined]) {
    const report = (): void => options.onProgress?.({ member, source, scope, ...figures });
    const seen = new Set<string>();
    await listAllMemories(replication, source, scope, pageSize, async (records) => {
      for (const record of records) {
        seen.add(record.id);
        const outcome = await copyMemory(replication, member, record, true);
        figures[outcome === 'added' ? 'copied' : outcome] += 1;
      }
      report();
    });
    const extras = (await listAllMemories(replication, member, scope, pageSize)).filter((record) => !seen.has(record.id) && Date.parse(record.createdAt) < started);
    for (const extra of extras) {
      // Listings shift while writes go on: delete only what the source certainly lacks.
      if (await replication.executeOn(source, (provider, callOptions) => provider.get(extra.id, callOptions))) continue;
      await replication.executeOn(member, (provider, callOptions) => provider.delete(extra.id, callOptions)).catch(() => undefined);
      figures.deleted += 1;
    }
    report();
  }
  const clearedEntries = await replication.journal.clearMember(replication.pool, member, upTo);
  replication.tracker.cleared(member, upTo);
  await replication.refresh();
  return { member, source, ...figures, clearedEntries, durationMs: Date.now() - started };
}
