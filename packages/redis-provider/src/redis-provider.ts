import {
  ConflictError,
  generateMemoryId,
  matchesMemoryFilter,
  NotFoundError,
  parseWithSchema,
  ProviderUnavailableError,
  runWithinCall,
  scopeFilter,
  type MemoryHistoryEvent,
  type MemoryProviderV1,
  type MemoryProviderV1CallOptions,
  type MemoryProviderV1Capabilities,
  type MemoryRecord,
  validateDeleteScope,
  validateId,
  validateNewRecords,
  validatePage,
  validatePatch,
  validateSearch,
} from '@memgate/core';
import type { Redis } from 'ioredis';
import { bm25Scores } from './bm25-scores.js';
import { addArguments, prepareAdd } from './prepare-add-records.js';
import { redisConnection } from './redis-connection.js';
import { aggregateRedisEntities } from './redis-entity-index.js';
import { mapRedisError } from './redis-error.js';
import { redisKeys } from './redis-keys.js';
import { exactIndex, readMatchingMemories, readMemories, type RedisReadContext } from './redis-memory-reader.js';
import { redisProviderSettingsSchema, type RedisProviderSettings } from './redis-provider-settings.js';
import { decodeHistoryEvent, decodeMemoryHash } from './redis-record-codec.js';
import type { RedisScripts } from './redis-scripts.js';

/**
 * What a Redis provider can do. Search is BM25 over the scope's memories, computed in process
 * (plain Redis has no full-text index); filters are evaluated in process with core's
 * `matchesMemoryFilter`, so every operator of the grammar is supported.
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

/** A Redis provider: the v1 contract plus an escape hatch to its client. */
export interface RedisMemoryProvider extends MemoryProviderV1 {
  /**
   * The ioredis client, created on first use (it connects on its first command). Unstable: for
   * diagnostics and advanced use; writing to the provider's keys behind its back voids its guarantees.
   * @throws ProviderUnavailableError after `close()`
   */
  getClient(): Redis;
}

/**
 * Creates a provider that keeps memories in Redis (hashes, sorted-set indexes per scope id, an entity
 * index and history lists; see redis-keys.ts), through ioredis. Opens no connection until the first call.
 *
 * @throws ValidationError when the settings are invalid (field `settings…`)
 */
export function createRedisMemoryProvider(settings: RedisProviderSettings = {}): RedisMemoryProvider {
  const { client: injected, ...rest } = settings;
  const resolved = parseWithSchema(redisProviderSettingsSchema, rest, 'settings');
  const { name, readBatchSize } = resolved;
  const keys = redisKeys(resolved.keyPrefix);
  const connection = redisConnection(resolved, injected);
  let closed = false;
  const closedError = () => new ProviderUnavailableError({ message: `${name}: the provider is closed`, providerId: name, isRetryable: false });

  type Work<T> = (context: RedisReadContext & { scripts: RedisScripts }) => Promise<T>;
  // Every operation runs inside `call`: it rejects promptly with AbortedError / ProviderTimeoutError
  // when the caller's signal aborts or the deadline passes (core's runWithinCall) and maps whatever
  // ioredis throws to core's classes.
  const call = <T>(options: MemoryProviderV1CallOptions | undefined, work: Work<T>): Promise<T> =>
    runWithinCall(options, name, async (signal) => {
      if (closed) throw closedError();
      const { redis, scripts } = connection.client();
      try {
        return await work({ redis, scripts, keys, batchSize: readBatchSize, signal });
      } catch (error) {
        throw mapRedisError(error, name);
      }
    });

  const deleteMany = async (scripts: RedisScripts, ids: readonly string[]): Promise<number> => {
    let deleted = 0;
    const at = new Date().toISOString();
    // One script per batch: each batch is atomic, and the server is never blocked for long.
    for (let start = 0; start < ids.length; start += readBatchSize) {
      const args = [keys.prefix, at, ...ids.slice(start, start + readBatchSize).flatMap((id) => [id, generateMemoryId()])];
      deleted += await scripts.deleteMany(args);
    }
    return deleted;
  };

  return {
    specificationVersion: 'v1',
    type: 'redis',
    name,
    capabilities: redisProviderCapabilities,

    add: (records, options) =>
      call(options, async ({ scripts }) => {
        const prepared = prepareAdd(validateNewRecords(records), name);
        const reply = await scripts.add([keys.prefix, String(prepared.unique.length), ...prepared.unique.flatMap(addArguments)]);
        if (reply[0] === 0) {
          const record = prepared.unique[reply[1]]!;
          throw new ConflictError({ message: `records[${record.index}].id: memory ${record.record.id} already exists with other content`, providerId: name });
        }
        // An idempotent re-add returns the stored record, not the one just sent.
        const stored = new Map(prepared.unique.map((entry, index) => [entry.record.id, decodeMemoryHash(entry.record.id, reply[index + 1] as string[] | 0 || null) ?? entry.record]));
        return prepared.ids.map((id) => structuredClone(stored.get(id)!));
      }),

    get: (id, options) =>
      call(options, async (context) => {
        const [record] = await readMemories(context, [validateId(id)]);
        return record ?? null;
      }),

    list: (filter, page, options) =>
      call(options, async (context) => {
        const { page: number, pageSize } = validatePage(page);
        const start = (number - 1) * pageSize;
        const index = exactIndex(keys, filter);
        if (index) {
          // The sorted index already holds exactly these memories in order: read one page of it.
          const [[, total], [, ids]] = ((await context.redis.multi().zcard(index).zrange(index, start, String(start + pageSize - 1), 'REV').exec()) ?? []) as [[unknown, number], [unknown, string[]]];
          const items = (await readMemories(context, ids)).filter((record): record is MemoryRecord => record !== null);
          return { items, total: Number(total) };
        }
        const matching = await readMatchingMemories(context, filter, (record) => matchesMemoryFilter(record, filter));
        return { items: matching.slice(start, start + pageSize), total: matching.length };
      }),

    aggregateEntities: (filter, options) => call(options, (context) => aggregateRedisEntities(context, filter)),

    search: (query, options) =>
      call(options, async (context) => {
        const { query: text, filter, topK = 10, threshold = 0 } = validateSearch(query);
        const candidates = await readMatchingMemories(context, filter, (record) => matchesMemoryFilter(record, filter));
        const scores = bm25Scores(text, candidates.map((record) => record.memory));
        return candidates
          .map((record, index) => ({ ...record, score: scores[index]! }))
          .filter((result) => result.score > 0 && result.score >= threshold)
          // Candidates arrive newest first and the sort is stable, so ties stay newest first.
          .sort((left, right) => right.score - left.score)
          .slice(0, topK);
      }),

    update: (id, patch, options) =>
      call(options, async ({ scripts }) => {
        validateId(id);
        const change = validatePatch(patch);
        const updatedAt = change.updatedAt === undefined ? new Date().toISOString() : new Date(change.updatedAt).toISOString();
        const hash = await scripts.update([
          keys.prefix,
          id,
          change.memory === undefined ? '0' : '1',
          change.memory ?? '',
          change.metadata === undefined ? '0' : '1',
          JSON.stringify(change.metadata ?? {}),
          updatedAt,
          generateMemoryId(),
          String(Date.parse(updatedAt)),
        ]);
        const updated = decodeMemoryHash(id, hash);
        if (updated === null) throw new NotFoundError({ message: `memory ${id} does not exist`, providerId: name });
        return updated;
      }),

    delete: (id, options) =>
      call(options, async ({ scripts }) => {
        if ((await deleteMany(scripts, [validateId(id)])) === 0) throw new NotFoundError({ message: `memory ${id} does not exist`, providerId: name });
      }),

    deleteAll: (scope, options) =>
      call(options, async (context) => {
        const filter = scopeFilter(validateDeleteScope(scope));
        const doomed = await readMatchingMemories(context, filter, (record) => matchesMemoryFilter(record, filter));
        context.signal.throwIfAborted();
        return { deleted: await deleteMany(context.scripts, doomed.map((record) => record.id)) };
      }),

    history: (id, options) =>
      call(options, async ({ redis }): Promise<MemoryHistoryEvent[]> => (await redis.lrange(keys.history(validateId(id)), 0, -1)).map(decodeHistoryEvent)),

    probe: (options) =>
      call(options, async ({ redis }) => {
        const started = performance.now();
        const pong = await redis.ping();
        return { latencyMs: performance.now() - started, detail: `PING ${pong}` };
      }),

    getClient: () => {
      if (closed) throw closedError();
      return connection.client().redis;
    },

    close: async () => {
      closed = true;
      await connection.close();
    },
  };
}
