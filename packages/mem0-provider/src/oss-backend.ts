import { pinnedScope, ProviderUnavailableError, UnsupportedCapabilityError, ValidationError, type MemoryFilter, type MemoryScope } from '@memgate/core';
import { encodeMetadata } from './mem0-record-codec.js';
import type { Mem0Backend, Mem0Call } from './mem0-backend.js';
import type { Mem0HttpClient } from './mem0-http-client.js';
import { mem0AddAnswerSchema, mem0EntityListSchema, mem0MaybeMemorySchema, mem0MessageSchema, mem0ResultsSchema, type Mem0Memory } from './mem0-schemas.js';

/** The OSS server's scope ids; it has no app scope. */
const ossScope = (scope: MemoryScope) => ({ user_id: scope.userId, agent_id: scope.agentId, run_id: scope.runId });
/** The OSS listing returns at most this many memories. */
const ossListCap = 1000;

/**
 * mem0's self-hosted REST server: flat paths without slashes, synchronous writes, no filters on listings
 * (the provider filters), no app scope (kept in metadata), and no history mapping (see README).
 */
export function createOssBackend(client: Mem0HttpClient, settings: { providerId: string }): Mem0Backend {
  const { providerId } = settings;
  const list = async (scope: MemoryScope, call: Mem0Call, what: string): Promise<Mem0Memory[]> => {
    const answer = await client.send({ method: 'GET', path: '/memories', query: { ...ossScope(scope), top_k: String(ossListCap) }, schema: mem0ResultsSchema, what }, call.signal, call.requestId);
    if (answer.results.length >= ossListCap) {
      throw new ValidationError({ field: 'filter', message: `filter: the mem0 OSS server lists at most ${ossListCap} memories per scope; narrow the scope`, providerId });
    }
    return answer.results;
  };
  const byApp = (memories: Mem0Memory[], filter: MemoryFilter): Mem0Memory[] => {
    const { appId } = pinnedScope(filter);
    return appId === undefined ? memories : memories.filter((memory) => memory.metadata?.memgate_app_id === appId);
  };
  return {
    appInMetadata: true,
    hasHistory: false,
    async insert(record, call) {
      const answer = await client.send({
        method: 'POST', path: '/memories', schema: mem0AddAnswerSchema, what: 'add',
        body: { messages: [{ role: 'user', content: record.memory }], ...ossScope(record), metadata: encodeMetadata(record, true), infer: false },
      }, call.signal, call.requestId);
      const added = (answer.results ?? []).filter((item) => item.event === 'ADD');
      if (added.length !== 1) throw new ProviderUnavailableError({ message: `mem0 stored ${added.length} memories for one verbatim add`, providerId });
      return added[0]!.id;
    },
    async fetch(mem0Id, call) {
      return client.send({ method: 'GET', path: `/memories/${encodeURIComponent(mem0Id)}`, schema: mem0MaybeMemorySchema, what: 'get' }, call.signal, call.requestId);
    },
    async findByCanonicalId(id, call) {
      // The OSS server cannot filter a listing on metadata: scan its (admin) listing.
      const all = await list({}, call, 'get');
      return all.find((memory) => memory.metadata?.memgate_id === id) ?? null;
    },
    async scan(filter, _limit, call) {
      return byApp(await list(pinnedScope(filter), call, 'list'), filter);
    },
    async search(query, filter, topK, threshold, call) {
      const scope = ossScope(pinnedScope(filter));
      const filters = Object.fromEntries(Object.entries(scope).filter(([, value]) => value !== undefined));
      const answer = await client.send({
        method: 'POST', path: '/search', schema: mem0ResultsSchema, what: 'search',
        body: { query, filters, top_k: Math.min(ossListCap, Math.max(topK * 5, 50)), threshold },
      }, call.signal, call.requestId);
      return byApp(answer.results, filter);
    },
    async change(mem0Id, text, metadata, call) {
      await client.send({ method: 'PUT', path: `/memories/${encodeURIComponent(mem0Id)}`, schema: mem0MessageSchema, what: 'update', body: { ...(text !== undefined && { text }), metadata } }, call.signal, call.requestId);
      return null;
    },
    async remove(mem0Id, call) {
      await client.send({ method: 'DELETE', path: `/memories/${encodeURIComponent(mem0Id)}`, schema: mem0MessageSchema, what: 'delete' }, call.signal, call.requestId);
    },
    async removeScope(scope, call) {
      if (scope.appId === undefined) {
        await client.send({ method: 'DELETE', path: '/memories', query: ossScope(scope), schema: mem0MessageSchema, what: 'deleteAll' }, call.signal, call.requestId);
        return;
      }
      // The app id lives in metadata, which the server cannot delete by: delete the matches one by one.
      const filterScope = { ...scope };
      const doomed = (await list(filterScope, call, 'deleteAll')).filter((memory) => memory.metadata?.memgate_app_id === scope.appId);
      for (const memory of doomed) await this.remove(memory.id, call);
    },
    async history() {
      throw new UnsupportedCapabilityError({ message: 'the mem0 OSS provider does not map history', providerId });
    },
    async entities(call) {
      const list = await client.send({ method: 'GET', path: '/entities', schema: mem0EntityListSchema, what: 'entities' }, call.signal, call.requestId);
      return list.map((entity) => ({ type: entity.type, id: entity.id, totalMemories: entity.total_memories ?? undefined }));
    },
    // The OSS server has no batch routes: one call per memory.
    async batchChange(items, call) {
      for (const item of items) await this.change(item.mem0Id, item.text, item.metadata, call);
    },
    async batchRemove(mem0Ids, call) {
      for (const id of mem0Ids) await this.remove(id, call);
    },
    async ping(call) {
      await client.send({ method: 'GET', path: '/memories', query: { user_id: 'memgate-probe', top_k: '1' }, schema: mem0ResultsSchema, what: 'probe' }, call.signal, call.requestId);
    },
  };
}
