import { ValidationError, type MemoryRecord, type MemoryScope } from '@memgate/core';
import { copyMemory } from './copy-memory.js';
import type { FailoverPool } from './failover-pool.js';
import { listAllMemories } from './list-all-memories.js';
import { memoryContentHash } from './memory-content-hash.js';

/** Options of {@link reconcilePool}. */
export interface ReconcileOptions {
  /** Scopes to compare, one listing each per member. Default `[undefined]`: every memory at once. */
  readonly scopes?: readonly (MemoryScope | undefined)[];
  /** Memories per page. Default 500. */
  readonly pageSize?: number;
}

/** One repair made by {@link reconcilePool}. */
export interface ReconcileRepair {
  readonly member: string;
  readonly memoryId: string;
  /** `copied`: the member lacked it; `updated`: it held an older version; `deleted`: a tombstone says it was deleted. */
  readonly action: 'copied' | 'updated' | 'deleted';
}

/** What a reconciliation found and fixed. */
export interface ReconcileReport {
  /** Members compared: available ones with no backlog (the others are still being replayed to). */
  readonly members: readonly string[];
  readonly scopes: number;
  /** Scopes whose counts and content hashes already agreed. */
  readonly scopesInAgreement: number;
  readonly memoriesCompared: number;
  readonly repairs: readonly ReconcileRepair[];
}

/**
 * Anti-entropy for a journaled pool: per scope, compares the caught-up members' memories (count, and a
 * SHA-256 of id, text, metadata and `updatedAt` per memory) and repairs drift. A memory whose latest
 * journal entry is a tombstone is deleted wherever it is; otherwise the version with the newest
 * `updatedAt` wins and is copied to the members that lack it or hold an older one.
 * @throws ValidationError for a pool without a journal; a member's error
 */
export async function reconcilePool(pool: FailoverPool, options: ReconcileOptions = {}): Promise<ReconcileReport> {
  const replication = pool.replication;
  if (!replication) throw new ValidationError({ message: 'reconciliation needs a pool created with a journal', field: 'pool' });
  await replication.refresh();
  const members = replication.available().filter((member) => replication.tracker.behind(member) === 0 && !replication.tracker.isJoining(member));
  const scopes = options.scopes ?? [undefined];
  const repairs: ReconcileRepair[] = [];
  let scopesInAgreement = 0;
  let memoriesCompared = 0;
  for (const scope of scopes) {
    const held = new Map<string, Map<string, MemoryRecord>>();
    for (const member of members) held.set(member, new Map((await listAllMemories(replication, member, scope, options.pageSize ?? 500)).map((record) => [record.id, record])));
    const ids = new Set([...held.values()].flatMap((records) => [...records.keys()]));
    memoriesCompared += ids.size;
    const agree = [...ids].every((id) => new Set(members.map((member) => { const record = held.get(member)!.get(id); return record ? memoryContentHash(record) : 'missing'; })).size === 1);
    if (agree) {
      scopesInAgreement += 1;
      continue;
    }
    const tombstones = await replication.journal.tombstones(replication.pool, [...ids]);
    for (const id of ids) {
      const versions = members.map((member) => ({ member, record: held.get(member)!.get(id) }));
      if (tombstones.has(id)) {
        for (const { member, record } of versions) {
          if (!record) continue;
          await replication.executeOn(member, (provider, callOptions) => provider.delete(id, callOptions)).catch(() => undefined);
          repairs.push({ member, memoryId: id, action: 'deleted' });
        }
        continue;
      }
      const newest = versions.reduce<MemoryRecord | undefined>((best, { record }) => (record && (!best || Date.parse(record.updatedAt) > Date.parse(best.updatedAt)) ? record : best), undefined)!;
      const target = memoryContentHash(newest);
      for (const { member, record } of versions) {
        if (record && memoryContentHash(record) === target) continue;
        await copyMemory(replication, member, newest, true);
        repairs.push({ member, memoryId: id, action: record ? 'updated' : 'copied' });
      }
    }
  }
  return { members, scopes: scopes.length, scopesInAgreement, memoriesCompared, repairs };
}
