import type { Mem0WireServer } from '@memgate/testkit/mem0-server';

/**
 * What a mem0 wire server did to the memory memgate knows by `memoryId` (its `memgate_id` metadata):
 * every ADD, UPDATE and DELETE of every mem0 memory that carried it, oldest first. For failure
 * messages only: it tells a memory mem0 never stored from one that was stored and then removed.
 */
export function mem0HistoryOf(server: Mem0WireServer, memoryId: string): string[] {
  const lines: { at: string; line: string }[] = [];
  for (const [mem0Id, entries] of server.store.history) {
    for (const entry of entries) {
      if (entry.metadata?.memgate_id !== memoryId && !(server.store.memories.get(mem0Id)?.metadata?.memgate_id === memoryId)) continue;
      lines.push({ at: entry.updated_at ?? entry.created_at, line: `${entry.updated_at ?? entry.created_at} ${entry.event} mem0 ${mem0Id}: ${JSON.stringify(entry.old_memory)} → ${JSON.stringify(entry.new_memory)}` });
    }
  }
  // Every request that named the memory (adds and lookups carry its memgate_id) or one of its mem0 ids (gets, updates, deletes).
  const mem0Ids = new Set([...server.store.history].filter(([, entries]) => entries.some((entry) => entry.metadata?.memgate_id === memoryId)).map(([mem0Id]) => mem0Id));
  for (const request of server.requests) {
    const text = `${request.path} ${JSON.stringify(request.body ?? null)}`;
    if (!text.includes(memoryId) && ![...mem0Ids].some((mem0Id) => request.path.includes(mem0Id))) continue;
    const at = new Date(request.receivedAt ?? 0).toISOString();
    lines.push({ at, line: `${at} request ${request.method} ${request.path}${request.method === 'POST' && request.path.endsWith('/add/') ? ' (add)' : ''}` });
  }
  const held = [...server.store.memories.values()].filter((memory) => memory.metadata?.memgate_id === memoryId).map((memory) => `held now: mem0 ${memory.id} ${JSON.stringify(memory.memory)}`);
  return [...lines.sort((left, right) => left.at.localeCompare(right.at)).map(({ line }) => line), ...(held.length > 0 ? held : ['held now: none'])];
}
