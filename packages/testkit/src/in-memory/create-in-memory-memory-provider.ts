import {
  ConflictError,
  generateMemoryId,
  matchesMemoryFilter,
  memoryScopeFields,
  NotFoundError,
  pickScope,
  ProviderUnavailableError,
  throwIfCallEnded,
  type MemoryHistoryEvent,
  type MemoryProviderV1,
  type MemoryProviderV1CallOptions,
  type MemoryRecord,
  type MemoryScope,
  validateDeleteScope,
  validateId,
  validateNewRecords,
  validatePage,
  validatePatch,
  validateSearch,
} from '@memgate/core';
import { termOverlapScore } from './term-overlap-score.js';

/** Settings of {@link createInMemoryMemoryProvider}. */
export interface InMemoryProviderSettings {
  /** Instance name. Default `memory`. */
  readonly name?: string;
}

const sameScope = (left: MemoryScope, right: MemoryScope): boolean => memoryScopeFields.every((field) => left[field] === right[field]);
const newestFirst = (left: MemoryRecord, right: MemoryRecord): number =>
  left.createdAt === right.createdAt ? (left.id < right.id ? 1 : left.id > right.id ? -1 : 0) : left.createdAt < right.createdAt ? 1 : -1;
const iso = (value: string | undefined): string => (value === undefined ? new Date() : new Date(value)).toISOString();

/**
 * The reference provider (type `memory`): memories in a Map, history kept, full-text-ish search by
 * term overlap. It implements the v1 contract exactly and passes the conformance suite, so it is both
 * the suite's own test subject and a fast stand-in for tests of code above providers.
 *
 * Every operation checks the call's signal and deadline before it touches the store and then runs
 * synchronously, so an aborted call never writes and a call that resolves has written everything.
 * After `close()` every operation rejects with a non-retryable `ProviderUnavailableError`.
 */
export function createInMemoryMemoryProvider(settings: InMemoryProviderSettings = {}): MemoryProviderV1 {
  const name = settings.name ?? 'memory';
  const records = new Map<string, MemoryRecord>();
  const histories = new Map<string, MemoryHistoryEvent[]>();
  let closed = false;

  const begin = (options: MemoryProviderV1CallOptions | undefined): void => {
    if (closed) throw new ProviderUnavailableError({ message: `provider ${name} is closed`, providerId: name, isRetryable: false });
    throwIfCallEnded(options, name);
  };
  const record = (memoryId: string, scope: MemoryScope, event: MemoryHistoryEvent['event'], oldMemory: string | null, newMemory: string | null, at: string): void => {
    const events = histories.get(memoryId) ?? [];
    events.push({ ...pickScope(scope), id: generateMemoryId(), memoryId, event, oldMemory, newMemory, createdAt: at });
    histories.set(memoryId, events);
  };
  const remove = (stored: MemoryRecord): void => {
    records.delete(stored.id);
    record(stored.id, stored, 'DELETE', stored.memory, null, iso(undefined));
  };

  return {
    specificationVersion: 'v1',
    type: 'memory',
    name,
    capabilities: { vectorSearch: false, fullTextSearch: true, history: true, metadataFilters: true, callerIds: true, batchWrites: true, inference: false },

    async add(newRecords, options) {
      begin(options);
      const valid = validateNewRecords(newRecords);
      // Check every record before writing any, so a batch is stored all or none.
      const pending = new Map<string, MemoryRecord>();
      const results = valid.map((input, index) => {
        const existing = input.id === undefined ? undefined : (pending.get(input.id) ?? records.get(input.id));
        if (existing) {
          if (existing.memory === input.memory && sameScope(existing, input)) return existing;
          throw new ConflictError({ message: `records[${index}].id: memory ${input.id} already exists with different content`, providerId: name });
        }
        const createdAt = iso(input.createdAt);
        const stored: MemoryRecord = { ...pickScope(input), id: input.id ?? generateMemoryId(), memory: input.memory, metadata: structuredClone(input.metadata ?? {}), createdAt, updatedAt: createdAt };
        pending.set(stored.id, stored);
        return stored;
      });
      for (const stored of pending.values()) {
        records.set(stored.id, stored);
        record(stored.id, stored, 'ADD', null, stored.memory, stored.createdAt);
      }
      return structuredClone(results);
    },

    async get(id, options) {
      begin(options);
      const stored = records.get(validateId(id));
      return stored ? structuredClone(stored) : null;
    },

    async list(filter, page, options) {
      begin(options);
      const { page: number, pageSize } = validatePage(page);
      const matching = [...records.values()].filter((stored) => matchesMemoryFilter(stored, filter)).sort(newestFirst);
      return { items: structuredClone(matching.slice((number - 1) * pageSize, number * pageSize)), total: matching.length };
    },

    async search(query, options) {
      begin(options);
      const { query: text, filter, topK = 10, threshold = 0 } = validateSearch(query);
      const scored = [...records.values()]
        .filter((stored) => matchesMemoryFilter(stored, filter))
        .map((stored) => ({ ...stored, score: termOverlapScore(text, stored.memory) }))
        .filter((result) => result.score > 0 && result.score >= threshold)
        .sort((left, right) => right.score - left.score || newestFirst(left, right));
      return structuredClone(scored.slice(0, topK));
    },

    async update(id, patch, options) {
      begin(options);
      const valid = validatePatch(patch);
      const stored = records.get(validateId(id));
      if (!stored) throw new NotFoundError({ message: `memory ${id} not found`, providerId: name });
      const updated: MemoryRecord = {
        ...stored,
        memory: valid.memory ?? stored.memory,
        metadata: valid.metadata === undefined ? stored.metadata : structuredClone(valid.metadata),
        updatedAt: iso(valid.updatedAt),
      };
      records.set(id, updated);
      record(id, updated, 'UPDATE', stored.memory, updated.memory, updated.updatedAt);
      return structuredClone(updated);
    },

    async delete(id, options) {
      begin(options);
      const stored = records.get(validateId(id));
      if (!stored) throw new NotFoundError({ message: `memory ${id} not found`, providerId: name });
      remove(stored);
    },

    async deleteAll(scope, options) {
      begin(options);
      const valid = validateDeleteScope(scope);
      const fields = memoryScopeFields.filter((field) => valid[field] !== undefined);
      const doomed = [...records.values()].filter((stored) => fields.every((field) => stored[field] === valid[field]));
      doomed.forEach(remove);
      return { deleted: doomed.length };
    },

    async history(id, options) {
      begin(options);
      return structuredClone(histories.get(validateId(id)) ?? []);
    },

    async probe(options) {
      const started = performance.now();
      begin(options);
      return { latencyMs: performance.now() - started, detail: `in-memory, ${records.size} memories` };
    },

    async close() {
      closed = true;
    },
  };
}
