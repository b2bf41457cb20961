import {
  ConflictError,
  generateMemoryId,
  matchesMemoryFilter,
  NotFoundError,
  parseWithSchema,
  pickScope,
  ProviderUnavailableError,
  runWithinCall,
  scopeFilter,
  type MemoryHistoryEvent,
  type MemoryProviderV1,
  type MemoryProviderV1CallOptions,
  type MemoryProviderV1Capabilities,
  type MemoryProviderV1NewRecord,
  type MemoryRecord,
} from '@memgate/core';
import { mapRedisError } from './redis-error.js';
import { validateDeleteScope, validateId, validateNewRecords, validatePage, validatePatch, validateSearch } from './redis-input.js';
import { redisProviderSettingsSchema, type RedisProviderSettings } from './redis-provider-settings.js';
import { termOverlapScore } from './redis-search-score.js';

/**
 * What a Redis provider can do. Declare only what the backend really does: the router and the
 * API read these flags and never test the provider's class.
 */
export const redisProviderCapabilities: MemoryProviderV1Capabilities = {
  vectorSearch: false,
  fullTextSearch: true,
  history: true,
  metadataFilters: true,
  callerIds: true,
  batchWrites: true,
  inference: false,
};

/**
 * Creates a Redis memory provider. Opens no connection and reads no secret: that happens on
 * first use.
 *
 * TEMPLATE: this is a complete in-memory implementation, so the package passes `@memgate/testkit`'s
 * conformance suite from its first commit. Replace the two Maps below with calls to your backend,
 * one operation at a time, and keep the suite green (docs/add-new-provider.md walks through it).
 *
 * @throws ValidationError when the settings are invalid (field `settings.<name>`)
 */
export function createRedisMemoryProvider(settings: RedisProviderSettings = {}): MemoryProviderV1 {
  const { name } = parseWithSchema(redisProviderSettingsSchema, settings, 'settings');
  // TEMPLATE: the "backend". Your client goes here, created lazily inside `call` on first use.
  const memories = new Map<string, MemoryRecord>();
  const histories = new Map<string, MemoryHistoryEvent[]>();
  let closed = false;

  // Every operation runs inside `call`: it rejects promptly with AbortedError / ProviderTimeoutError
  // when the caller's signal aborts or the deadline passes (core's runWithinCall), and turns anything
  // the backend throws into one of core's error classes.
  const call = <T>(options: MemoryProviderV1CallOptions | undefined, work: (signal: AbortSignal) => T | Promise<T>): Promise<T> =>
    runWithinCall(options, name, async (signal) => {
      if (closed) throw new ProviderUnavailableError({ message: `${name}: the provider is closed`, providerId: name, isRetryable: false });
      try {
        return await work(signal);
      } catch (error) {
        throw mapRedisError(error, name);
      }
    });

  const appendHistory = (record: MemoryRecord, event: MemoryHistoryEvent['event'], oldMemory: string | null, newMemory: string | null, at: string): void => {
    const entry: MemoryHistoryEvent = { id: generateMemoryId(), memoryId: record.id, ...pickScope(record), event, oldMemory, newMemory, createdAt: at };
    histories.set(record.id, [...(histories.get(record.id) ?? []), entry]);
  };

  const remove = (record: MemoryRecord): void => {
    memories.delete(record.id);
    appendHistory(record, 'DELETE', record.memory, null, new Date().toISOString());
  };

  return {
    specificationVersion: 'v1',
    type: 'redis',
    name,
    capabilities: redisProviderCapabilities,

    add: (records, options) =>
      call(options, () => {
        const now = new Date().toISOString();
        const batch = new Map<string, MemoryRecord>();
        const results = validateNewRecords(records).map((input, index) => {
          const id = input.id ?? generateMemoryId();
          const existing = batch.get(id) ?? memories.get(id);
          if (existing === undefined) {
            const record = toRecord(id, input, now);
            batch.set(id, record);
            return record;
          }
          // Idempotent re-add: the same id with the same scope and text returns the stored record, so a
          // replayed write is harmless; anything else under that id is a conflict.
          if (sameContent(existing, input)) return existing;
          throw new ConflictError({ message: `records[${index}].id: memory ${id} already exists with other content`, providerId: name });
        });
        // All or none: nothing is written until every record has passed.
        for (const record of batch.values()) {
          memories.set(record.id, record);
          appendHistory(record, 'ADD', null, record.memory, record.createdAt);
        }
        return results.map((record) => structuredClone(record));
      }),

    get: (id, options) =>
      call(options, () => {
        const record = memories.get(validateId(id));
        return record === undefined ? null : structuredClone(record);
      }),

    list: (filter, page, options) =>
      call(options, () => {
        const { page: number, pageSize } = validatePage(page);
        const matching = [...memories.values()].filter((record) => matchesMemoryFilter(record, filter)).sort(newestFirst);
        const items = matching.slice((number - 1) * pageSize, number * pageSize).map((record) => structuredClone(record));
        return { items, total: matching.length };
      }),

    search: (query, options) =>
      call(options, () => {
        const { query: text, filter, topK = 10, threshold = 0 } = validateSearch(query);
        return [...memories.values()]
          .filter((record) => matchesMemoryFilter(record, filter))
          .map((record) => ({ ...structuredClone(record), score: termOverlapScore(text, record.memory) }))
          .filter((result) => result.score > 0 && result.score >= threshold)
          .sort((left, right) => right.score - left.score || newestFirst(left, right))
          .slice(0, topK);
      }),

    update: (id, patch, options) =>
      call(options, () => {
        const existing = memories.get(validateId(id));
        const change = validatePatch(patch);
        if (existing === undefined) throw new NotFoundError({ message: `memory ${id} does not exist`, providerId: name });
        const updatedAt = change.updatedAt === undefined ? new Date().toISOString() : new Date(change.updatedAt).toISOString();
        const updated: MemoryRecord = { ...existing, memory: change.memory ?? existing.memory, metadata: change.metadata ?? existing.metadata, updatedAt };
        memories.set(id, updated);
        appendHistory(updated, 'UPDATE', existing.memory, updated.memory, updatedAt);
        return structuredClone(updated);
      }),

    delete: (id, options) =>
      call(options, () => {
        const existing = memories.get(validateId(id));
        if (existing === undefined) throw new NotFoundError({ message: `memory ${id} does not exist`, providerId: name });
        remove(existing);
      }),

    deleteAll: (scope, options) =>
      call(options, () => {
        const filter = scopeFilter(validateDeleteScope(scope));
        const doomed = [...memories.values()].filter((record) => matchesMemoryFilter(record, filter));
        doomed.forEach(remove);
        return { deleted: doomed.length };
      }),

    history: (id, options) => call(options, () => structuredClone(histories.get(validateId(id)) ?? [])),

    probe: (options) =>
      call(options, () => {
        const started = performance.now();
        // TEMPLATE: one cheap round trip to the backend (PING, SELECT 1, GET /health).
        return { latencyMs: performance.now() - started, detail: `${memories.size} memories in memory` };
      }),

    close: async () => {
      // TEMPLATE: release the client's connections and timers. Must be safe to call twice.
      closed = true;
    },
  };
}

function toRecord(id: string, input: MemoryProviderV1NewRecord, now: string): MemoryRecord {
  const createdAt = input.createdAt === undefined ? now : new Date(input.createdAt).toISOString();
  return { id, memory: input.memory, ...pickScope(input), metadata: input.metadata ?? {}, createdAt, updatedAt: createdAt };
}

function sameContent(stored: MemoryRecord, input: MemoryProviderV1NewRecord): boolean {
  return stored.memory === input.memory && stored.userId === input.userId && stored.agentId === input.agentId && stored.appId === input.appId && stored.runId === input.runId;
}

/** The contract's listing order: newest `createdAt` first, then id, descending. */
function newestFirst(left: MemoryRecord, right: MemoryRecord): number {
  return right.createdAt.localeCompare(left.createdAt) || right.id.localeCompare(left.id);
}
