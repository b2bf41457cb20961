import {
  ConflictError, generateMemoryId, hasScope, matchesMemoryFilter, memoryProviderV1NewRecordSchema, memoryProviderV1PatchSchema,
  memoryScopeFields, memoryScopeSchema, NotFoundError, parseWithSchema, pickScope, scopeFilter,
  UnsupportedCapabilityError, ValidationError, type MemoryRecord,
} from '@memgate/core';
import { KeyedLock } from './keyed-lock.js';
import type { Mem0Call } from './mem0-backend.js';
import { mem0BatchOperations } from './mem0-batch-operations.js';
import { mem0Capabilities } from './mem0-capabilities.js';
import type { Mem0MemoryProvider } from './mem0-memory-provider.js';
import { createMem0ProviderRuntime } from './mem0-provider-runtime.js';
import { mem0ProviderSettingsSchema, type Mem0ProviderSettings } from './mem0-provider-settings.js';
import { checkCallerMetadata, decodeMemory, encodeMetadata } from './mem0-record-codec.js';

const byNewest = (a: MemoryRecord, b: MemoryRecord): number => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id);
const sameScope = (a: MemoryRecord, b: MemoryRecord): boolean => memoryScopeFields.every((field) => a[field] === b[field]);

/**
 * A `MemoryProviderV1` over mem0: the hosted Platform (`mode: 'platform'`) or the self-hosted REST server
 * (`mode: 'oss'`), through one lazy keep-alive undici pool. Writes are verbatim (`infer: false`); the canonical
 * id and timestamps travel in each memory's metadata (`memgate_id`, `memgate_created_at`, `memgate_updated_at`).
 * Constructing it does no I/O and reads no secret.
 * @throws ValidationError naming the setting when the settings are invalid
 */
export function createMem0MemoryProvider(input: Mem0ProviderSettings): Mem0MemoryProvider {
  const settings = parseWithSchema(mem0ProviderSettingsSchema, input, 'settings');
  const runtime = createMem0ProviderRuntime(settings);
  const { name, backend, ids, maxScan, within, decode, locate, checkId } = runtime;
  const writing = new KeyedLock();

  return {
    specificationVersion: 'v1',
    type: 'mem0',
    name,
    capabilities: mem0Capabilities(settings.mode),

    async add(records, options) {
      if (!Array.isArray(records)) throw new ValidationError({ field: 'records', message: 'records: must be an array', providerId: name });
      const parsed = records.map((record, index) => {
        const value = parseWithSchema(memoryProviderV1NewRecordSchema, record, `records[${index}]`);
        if (!hasScope(value)) throw new ValidationError({ field: `records[${index}].userId`, message: `records[${index}]: needs at least one of userId, agentId, appId, runId`, providerId: name });
        checkCallerMetadata(value.metadata, `records[${index}].metadata`);
        return value;
      });
      return within(options, async (call) => {
        const withIds = parsed.map((record) => ({ record, id: record.id ?? generateMemoryId() }));
        // Every id of the call stays locked until its undo is over: a retry of a timed-out add (the
        // replicator's, at once) must not find a memory here that this call's undo then removes.
        return writing.runAll(
          withIds.map(({ id }) => id),
          async () => {
            const inserted: string[] = [];
            // Canonical ids whose insert was sent but not confirmed: mem0 may have stored them anyway.
            const uncertain: string[] = [];
            try {
              const out: MemoryRecord[] = [];
              for (const { record, id } of withIds) {
                // A caller's id may already be stored (a replay): look it up first.
                const existing = record.id === undefined ? null : await locate(id, call);
                if (existing) {
                  const stored = decode(existing);
                  if (!sameScope(stored, { ...record, id } as MemoryRecord) || stored.memory !== record.memory) {
                    throw new ConflictError({ message: `a different memory with id ${id} already exists`, providerId: name });
                  }
                  out.push(stored);
                  continue;
                }
                const createdAt = new Date(record.createdAt ?? Date.now()).toISOString();
                const fresh: MemoryRecord = { id, memory: record.memory, metadata: record.metadata ?? {}, createdAt, updatedAt: createdAt, ...pickScope(record) };
                uncertain.push(id);
                const mem0Id = await backend.insert(fresh, call);
                uncertain.pop();
                inserted.push(mem0Id);
                ids.set(id, mem0Id);
                out.push(fresh);
              }
              return out;
            } catch (error) {
              // All or none: take back what this call stored (and what mem0 may have stored despite an error), best effort, on a fresh short budget.
              const undo: Mem0Call = { signal: AbortSignal.timeout(2_000) };
              const found = await Promise.allSettled(uncertain.map((id) => backend.findByCanonicalId(id, undo)));
              const stray = found.flatMap((result) => (result.status === 'fulfilled' && result.value ? [result.value.id] : []));
              await Promise.allSettled([...inserted, ...stray].map((mem0Id) => backend.remove(mem0Id, undo)));
              throw error;
            }
          },
        );
      });
    },

    async get(id, options) {
      checkId(id);
      return within(options, async (call) => {
        const memory = await locate(id, call);
        return memory ? decode(memory) : null;
      });
    },

    async list(filter, page, options) {
      const { page: number, pageSize } = page ?? {};
      if (!Number.isInteger(number) || number < 1) throw new ValidationError({ field: 'page.page', message: 'page.page: must be an integer from 1', providerId: name });
      if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) throw new ValidationError({ field: 'page.pageSize', message: 'page.pageSize: must be an integer from 1 to 1000', providerId: name });
      return within(options, async (call) => {
        const matches = (await backend.scan(filter, maxScan, call)).map(decode).filter((record) => matchesMemoryFilter(record, filter)).sort(byNewest);
        return { items: matches.slice((number - 1) * pageSize, number * pageSize), total: matches.length };
      });
    },

    async search(query, options) {
      if (typeof query?.query !== 'string' || query.query.trim().length === 0) throw new ValidationError({ field: 'query', message: 'query: must be a non-empty string', providerId: name });
      const topK = query.topK ?? 10;
      const threshold = query.threshold ?? 0;
      if (!Number.isInteger(topK) || topK < 1 || topK > 1000) throw new ValidationError({ field: 'topK', message: 'topK: must be an integer from 1 to 1000', providerId: name });
      if (typeof threshold !== 'number' || threshold < 0 || threshold > 1) throw new ValidationError({ field: 'threshold', message: 'threshold: must be between 0 and 1', providerId: name });
      return within(options, async (call) => {
        const candidates = await backend.search(query.query, query.filter, topK, threshold, call);
        return candidates
          .map((memory) => ({ ...decode(memory), score: Math.min(1, Math.max(0, memory.score ?? 0)) }))
          .filter((result) => result.score >= threshold && matchesMemoryFilter(result, query.filter))
          .sort((a, b) => b.score - a.score)
          .slice(0, topK);
      });
    },

    async update(id, patch, options) {
      checkId(id);
      const change = parseWithSchema(memoryProviderV1PatchSchema, patch, 'patch');
      checkCallerMetadata(change.metadata, 'patch.metadata');
      return within(options, async (call) => {
        const memory = await locate(id, call);
        if (!memory) throw new NotFoundError({ message: `no memory with id ${id}`, providerId: name });
        const current = decodeMemory(memory, name);
        const next: MemoryRecord = {
          ...current, memory: change.memory ?? current.memory, metadata: change.metadata ?? current.metadata,
          updatedAt: new Date(change.updatedAt ?? Date.now()).toISOString(),
        };
        const answer = await backend.change(memory.id, change.memory, encodeMetadata(next, backend.appInMetadata), call);
        return answer ? decode(answer) : next;
      });
    },

    async delete(id, options) {
      checkId(id);
      return within(options, async (call) => {
        const memory = await locate(id, call);
        if (!memory) throw new NotFoundError({ message: `no memory with id ${id}`, providerId: name });
        await backend.remove(memory.id, call);
        // The mapping stays cached: history outlives the memory.
      });
    },

    async deleteAll(scope, options) {
      const parsed = parseWithSchema(memoryScopeSchema, scope, 'scope');
      if (!hasScope(parsed)) throw new ValidationError({ field: 'scope', message: 'scope: needs at least one of userId, agentId, appId, runId', providerId: name });
      return within(options, async (call) => {
        const filter = scopeFilter(parsed);
        // mem0 does not say how many it deleted: count first, then delete and wait for mem0 to finish.
        const doomed = (await backend.scan(filter, maxScan, call)).map(decode).filter((record) => matchesMemoryFilter(record, filter));
        await backend.removeScope(parsed, call);
        return { deleted: doomed.length };
      });
    },

    async history(id, options) {
      checkId(id);
      if (!backend.hasHistory) throw new UnsupportedCapabilityError({ message: `${name} (mem0 ${settings.mode}) does not keep a mapped history`, providerId: name });
      return within(options, async (call) => {
        const mem0Id = ids.get(id) ?? (await locate(id, call))?.id;
        if (mem0Id === undefined) throw new NotFoundError({ message: `no memory with id ${id}`, providerId: name });
        const entries = await backend.history(mem0Id, call);
        return entries.map((entry) => ({ ...entry, memoryId: id })).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
      });
    },

    async probe(options) {
      return within(options, async (call) => {
        const started = performance.now();
        await backend.ping(call);
        return { latencyMs: performance.now() - started, detail: `mem0 ${settings.mode}` };
      });
    },

    ...mem0BatchOperations(runtime),

    async close() {
      await runtime.client.close();
    },
  };
}
