import { journalPayloadBytes, type JournalEntry, type MemberBacklog, type PendingDelivery, type WriteJournal } from './write-journal.js';

interface Delivery {
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastError: string | null;
  nextAttemptAt: number;
  leaseOwner: string | null;
  leaseUntil: number;
  deliveredAt: number | null;
}

/** Options of {@link createInMemoryWriteJournal}. */
export interface InMemoryWriteJournalOptions {
  /** The clock (ms since the epoch). Default `Date.now`. */
  readonly now?: () => number;
}

/**
 * A write journal in process memory, for one gateway process, tests and in-process pools. It is
 * "durable" only as long as the process lives: use `@memgate/state`'s journal to survive a crash.
 */
export function createInMemoryWriteJournal(options: InMemoryWriteJournalOptions = {}): WriteJournal {
  const now = options.now ?? Date.now;
  let sequence = 0;
  const entries = new Map<number, JournalEntry>();
  const deliveries = new Map<number, Map<string, Delivery>>();
  const ofPool = (pool: string): JournalEntry[] => [...entries.values()].filter((entry) => entry.pool === pool);
  const update = (pool: string, member: string, ids: readonly number[], change: (delivery: Delivery) => void): void => {
    for (const id of ids) {
      const delivery = entries.get(id)?.pool === pool ? deliveries.get(id)?.get(member) : undefined;
      if (delivery && delivery.state !== 'delivered') change(delivery);
    }
  };
  return {
    async append(inputs, lease) {
      return inputs.map((input) => {
        sequence += 1;
        const entry: JournalEntry = { id: sequence, pool: input.pool, op: input.op, memoryId: input.memoryId, version: sequence, payload: input.payload, createdAt: now(), bytes: journalPayloadBytes(input.payload) };
        entries.set(entry.id, entry);
        deliveries.set(entry.id, new Map(input.members.map((member) => [member, { state: 'pending', attempts: 0, lastError: null, nextAttemptAt: 0, leaseOwner: lease?.owner ?? null, leaseUntil: lease ? now() + lease.leaseMs : 0, deliveredAt: null }])));
        return entry;
      });
    },
    async discard(pool, ids) {
      for (const id of ids) {
        if (entries.get(id)?.pool !== pool) continue;
        entries.delete(id);
        deliveries.delete(id);
      }
    },
    async markDelivered(pool, member, ids) {
      update(pool, member, ids, (delivery) => Object.assign(delivery, { state: 'delivered', deliveredAt: now(), leaseOwner: null, leaseUntil: 0 }));
    },
    async markFailed(pool, member, ids, failure) {
      update(pool, member, ids, (delivery) =>
        Object.assign(delivery, { state: failure.permanent ? 'failed' : 'pending', attempts: delivery.attempts + 1, lastError: failure.error, nextAttemptAt: failure.nextAttemptAt, leaseOwner: null, leaseUntil: 0 }),
      );
    },
    async releaseOwner(pool, owner) {
      let released = 0;
      for (const entry of ofPool(pool)) {
        for (const delivery of deliveries.get(entry.id)?.values() ?? []) {
          if (delivery.leaseOwner !== owner || delivery.state !== 'pending') continue;
          Object.assign(delivery, { leaseOwner: null, leaseUntil: 0 });
          released += 1;
        }
      }
      return released;
    },
    async release(pool, member, ids, nextAttemptAt) {
      update(pool, member, ids, (delivery) => Object.assign(delivery, { leaseOwner: null, leaseUntil: 0, nextAttemptAt: nextAttemptAt ?? delivery.nextAttemptAt }));
    },
    async claim({ pool, member, owner, limit, leaseMs }) {
      const at = now();
      const blocked = new Set<string>();
      const claimed: JournalEntry[] = [];
      for (const entry of ofPool(pool)) {
        if (claimed.length >= limit) break;
        const delivery = deliveries.get(entry.id)?.get(member);
        if (!delivery || delivery.state !== 'pending' || blocked.has(entry.memoryId)) continue;
        // An earlier entry of the same memory held elsewhere or backing off holds back the later ones: order per memory.
        if ((delivery.leaseUntil > at && delivery.leaseOwner !== owner) || delivery.nextAttemptAt > at) {
          blocked.add(entry.memoryId);
          continue;
        }
        Object.assign(delivery, { leaseOwner: owner, leaseUntil: at + leaseMs });
        claimed.push(entry);
      }
      return claimed;
    },
    async backlog(pool) {
      const byMember = new Map<string, { entries: number; bytes: number; failed: number; oldestAt: number | null }>();
      for (const entry of ofPool(pool)) {
        for (const [member, delivery] of deliveries.get(entry.id) ?? []) {
          const figures = byMember.get(member) ?? { entries: 0, bytes: 0, failed: 0, oldestAt: null };
          byMember.set(member, figures);
          if (delivery.state === 'delivered') continue;
          figures.entries += 1;
          figures.bytes += entry.bytes;
          if (delivery.state === 'failed') figures.failed += 1;
          figures.oldestAt = figures.oldestAt === null ? entry.createdAt : Math.min(figures.oldestAt, entry.createdAt);
        }
      }
      return [...byMember].map(([member, figures]): MemberBacklog => ({ member, ...figures }));
    },
    async pendingDeliveries(pool) {
      const pending: PendingDelivery[] = [];
      for (const entry of ofPool(pool)) {
        for (const [member, delivery] of deliveries.get(entry.id) ?? []) if (delivery.state !== 'delivered') pending.push({ member, entryId: entry.id, memoryId: entry.memoryId, bytes: entry.bytes });
      }
      return pending.sort((left, right) => left.entryId - right.entryId);
    },
    async pendingEntriesFor(pool, member, memoryIds) {
      const wanted = new Set(memoryIds);
      return ofPool(pool).filter((entry) => wanted.has(entry.memoryId) && (deliveries.get(entry.id)?.get(member)?.state ?? 'delivered') !== 'delivered');
    },
    async position(pool, before = Number.POSITIVE_INFINITY) {
      return ofPool(pool).reduce((highest, entry) => (entry.createdAt < before ? Math.max(highest, entry.id) : highest), 0);
    },
    async clearMember(pool, member, upTo) {
      let cleared = 0;
      update(
        pool,
        member,
        ofPool(pool)
          .filter((entry) => entry.id <= upTo)
          .map((entry) => entry.id),
        (delivery) => {
          cleared += 1;
          Object.assign(delivery, { state: 'delivered', deliveredAt: now(), leaseOwner: null, leaseUntil: 0 });
        },
      );
      return cleared;
    },
    async tombstones(pool, memoryIds) {
      const wanted = new Set(memoryIds);
      const latest = new Map<string, JournalEntry>();
      for (const entry of ofPool(pool)) if (wanted.has(entry.memoryId)) latest.set(entry.memoryId, entry);
      return new Set([...latest.values()].filter((entry) => entry.op === 'delete').map((entry) => entry.memoryId));
    },
    async prune(pool, { tombstoneRetentionMs = 0 } = {}) {
      const at = now();
      let removed = 0;
      for (const entry of ofPool(pool)) {
        const states = [...(deliveries.get(entry.id)?.values() ?? [])];
        if (!states.every((delivery) => delivery.state === 'delivered')) continue;
        const lastDelivered = Math.max(entry.createdAt, ...states.map((delivery) => delivery.deliveredAt ?? 0));
        if (entry.op === 'delete' && lastDelivered + tombstoneRetentionMs > at) continue;
        entries.delete(entry.id);
        deliveries.delete(entry.id);
        removed += 1;
      }
      return removed;
    },
  };
}
