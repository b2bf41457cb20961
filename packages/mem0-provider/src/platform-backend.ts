import { NotFoundError, ProviderUnavailableError, ValidationError, type MemoryScope } from '@memgate/core';
import { z } from 'zod';
import { encodeMetadata } from './mem0-record-codec.js';
import type { Mem0Backend, Mem0Call } from './mem0-backend.js';
import type { Mem0HttpClient } from './mem0-http-client.js';
import { mem0AddAnswerSchema, mem0EntityPageSchema, mem0HistoryEntrySchema, mem0MemorySchema, mem0MessageSchema, mem0PageSchema, mem0PingSchema, mem0ResultsSchema } from './mem0-schemas.js';
import { pollMem0Event } from './poll-mem0-event.js';
import { anyEntityFilter, translateMemoryFilter } from './translate-memory-filter.js';

const scopeQuery = (scope: MemoryScope) => ({ user_id: scope.userId, agent_id: scope.agentId, app_id: scope.appId, run_id: scope.runId });
const addResultsSchema = z.array(z.object({ id: z.string().min(1), event: z.string() }));
const pageSize = 200;

/** mem0's hosted Platform: `/v1`–`/v3` paths with trailing slashes, async events polled until done. */
export function createPlatformBackend(client: Mem0HttpClient, settings: { providerId: string; pollIntervalMs: number }): Mem0Backend {
  const { providerId, pollIntervalMs } = settings;
  const poll = (eventId: string, call: Mem0Call, what: string, requireResults: boolean) =>
    pollMem0Event(client, eventId, { ...call, pollIntervalMs, providerId, what, requireResults });

  return {
    appInMetadata: false,
    hasHistory: true,
    async insert(record, call) {
      const answer = await client.send({
        method: 'POST', path: '/v3/memories/add/', schema: mem0AddAnswerSchema, what: 'add',
        body: {
          messages: [{ role: 'user', content: record.memory }], ...scopeQuery(record),
          metadata: encodeMetadata(record, false), infer: false, timestamp: Math.floor(Date.parse(record.createdAt) / 1000),
        },
      }, call.signal, call.requestId);
      let results = answer.results ?? [];
      if (answer.status !== 'SUCCEEDED' || results.length === 0) {
        if (answer.status === 'SUCCEEDED' || !answer.event_id) throw new ProviderUnavailableError({ message: 'mem0 answered add without storing anything', providerId });
        const polled = addResultsSchema.safeParse(await poll(answer.event_id, call, 'add', true));
        if (!polled.success) throw new ProviderUnavailableError({ message: 'mem0 answered the add event with unexpected results', providerId });
        results = polled.data;
      }
      const added = results.filter((item) => item.event === 'ADD');
      if (added.length !== 1) throw new ProviderUnavailableError({ message: `mem0 stored ${added.length} memories for one verbatim add`, providerId });
      return added[0]!.id;
    },
    async fetch(mem0Id, call) {
      try {
        return await client.send({ method: 'GET', path: `/v1/memories/${encodeURIComponent(mem0Id)}/`, schema: mem0MemorySchema, what: 'get' }, call.signal, call.requestId);
      } catch (error) {
        if (NotFoundError.isInstance(error)) return null;
        throw error;
      }
    },
    async findByCanonicalId(id, call) {
      const page = await client.send({
        method: 'POST', path: '/v3/memories/', query: { page: '1', page_size: '2' }, schema: mem0PageSchema, what: 'get',
        body: { filters: { AND: [anyEntityFilter, { metadata: { memgate_id: id } }] } },
      }, call.signal, call.requestId);
      return page.results.find((memory) => memory.metadata?.memgate_id === id) ?? null;
    },
    async scan(filter, limit, call) {
      const { filters } = translateMemoryFilter(filter);
      const all = [];
      for (let page = 1; ; page += 1) {
        const answer = await client.send({
          method: 'POST', path: '/v3/memories/', query: { page: String(page), page_size: String(pageSize) }, body: { filters }, schema: mem0PageSchema, what: 'list',
        }, call.signal, call.requestId);
        if (answer.count > limit) throw new ValidationError({ field: 'filter', message: `filter: matches ${answer.count} mem0 memories, over the scan limit of ${limit}; narrow it`, providerId });
        all.push(...answer.results);
        if (answer.results.length < pageSize || all.length >= answer.count) return all;
      }
    },
    async search(query, filter, topK, threshold, call) {
      const { filters, exact } = translateMemoryFilter(filter);
      const answer = await client.send({
        method: 'POST', path: '/v3/memories/search/', schema: mem0ResultsSchema, what: 'search',
        // output_format as the official client sends it, so mem0 answers {results} on every version.
        body: { query, output_format: 'v1.1', filters, top_k: exact ? topK : 1000, threshold, rerank: false },
      }, call.signal, call.requestId);
      return answer.results;
    },
    async change(mem0Id, text, metadata, call) {
      return client.send({
        method: 'PUT', path: `/v1/memories/${encodeURIComponent(mem0Id)}/`, schema: mem0MemorySchema, what: 'update',
        body: { ...(text !== undefined && { text }), metadata },
      }, call.signal, call.requestId);
    },
    async remove(mem0Id, call) {
      const answer = await client.send({ method: 'DELETE', path: `/v1/memories/${encodeURIComponent(mem0Id)}/`, schema: mem0MessageSchema, what: 'delete' }, call.signal, call.requestId);
      if (answer.event_id && answer.status !== 'SUCCEEDED') await poll(answer.event_id, call, 'delete', false);
    },
    async removeScope(scope, call) {
      const answer = await client.send({ method: 'DELETE', path: '/v1/memories/', query: scopeQuery(scope), schema: mem0MessageSchema, what: 'deleteAll' }, call.signal, call.requestId);
      // mem0 queues the delete: it is done only when its event says so.
      if (answer.event_id) await poll(answer.event_id, call, 'deleteAll', false);
    },
    async history(mem0Id, call) {
      const entries = await client.send({ method: 'GET', path: `/v1/memories/${encodeURIComponent(mem0Id)}/history/`, schema: z.array(mem0HistoryEntrySchema), what: 'history' }, call.signal, call.requestId);
      return entries.map((entry) => ({
        id: entry.id, event: entry.event, oldMemory: entry.old_memory ?? null, newMemory: entry.new_memory ?? null, createdAt: new Date(entry.created_at).toISOString(),
        ...(entry.user_id && { userId: entry.user_id }), ...(entry.agent_id && { agentId: entry.agent_id }),
        ...(entry.app_id && { appId: entry.app_id }), ...((entry.run_id ?? entry.session_id) && { runId: (entry.run_id ?? entry.session_id)! }),
      }));
    },
    async entities(call) {
      const all = [];
      for (let page = 1; page <= 100; page += 1) {
        const answer = await client.send({ method: 'GET', path: '/v1/entities/', query: page === 1 ? {} : { page: String(page) }, schema: mem0EntityPageSchema, what: 'entities' }, call.signal, call.requestId);
        all.push(...answer.results.map((entity) => ({ type: entity.type, id: entity.name ?? entity.id, totalMemories: entity.total_memories ?? undefined })));
        if (!answer.next) break;
      }
      return all;
    },
    async batchChange(items, call) {
      await client.send({
        method: 'PUT', path: '/v1/batch/', schema: mem0MessageSchema, what: 'batchUpdate',
        body: { memories: items.map((item) => ({ memory_id: item.mem0Id, ...(item.text !== undefined && { text: item.text }), metadata: item.metadata })) },
      }, call.signal, call.requestId);
    },
    async batchRemove(mem0Ids, call) {
      await client.send({ method: 'DELETE', path: '/v1/batch/', schema: mem0MessageSchema, what: 'batchDelete', body: { memories: mem0Ids.map((id) => ({ memory_id: id })) } }, call.signal, call.requestId);
    },
    async ping(call) {
      await client.send({ method: 'GET', path: '/v1/ping/', schema: mem0PingSchema, what: 'probe' }, call.signal, call.requestId);
    },
  };
}
